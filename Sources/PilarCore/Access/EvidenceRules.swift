/// Who may replace a file that backs indicators, and when.
///
/// A new version of a piece of evidence replaces it wherever it is attached, so it is not a
/// change to one indicator: it belongs to the evidence's own agency (or the coordinator), and
/// only while every indicator it backs is still open for that agency to change.
public enum EvidenceRules {
    public enum VersionDecision: Sendable, Equatable {
        case allowed
        /// Not the evidence's agency (nor the coordinator), or another region.
        case notOwner
        /// One of the indicators it backs has been submitted or verified.
        case locked
    }

    public static func newVersion(
        by actor: AccessPolicy.Actor, evidenceRegionID: String, evidenceAgencyID: String?, attachedTo statuses: [AssessmentStatus]
    ) -> VersionDecision {
        guard actor.regionID == evidenceRegionID, AccessPolicy.allows(actor, .editSelfAssessment) else { return .notOwner }
        if AccessPolicy.scope(actor.role, .editSelfAssessment) == .region { return .allowed }
        guard let own = actor.agencyID, own == evidenceAgencyID else { return .notOwner }
        return statuses.allSatisfy(\.isOpenForAgency) ? .allowed : .locked
    }
}
