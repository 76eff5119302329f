/// Where an indicator's answer is in its life: the agency answers, the coordinator verifies.
public enum AssessmentStatus: String, Sendable, Codable, CaseIterable {
    case notStarted = "not_started"
    case draft
    case submitted
    case returned
    case verified

    /// Submitted to the coordinator (what an assessor may read).
    public var isSubmitted: Bool { self == .submitted || self == .verified }

    /// The agency may still change its answer.
    public var isOpenForAgency: Bool { self == .notStarted || self == .draft || self == .returned }
}
