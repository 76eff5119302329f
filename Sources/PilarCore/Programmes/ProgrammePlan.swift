import Foundation

/// A programme's time horizon in the masterplan.
public enum ProgrammeHorizon: String, CaseIterable, Codable, Sendable {
    case quickWin = "quick_win", medium, long
}

/// Where a programme stands.
public enum ProgrammeStatus: String, CaseIterable, Codable, Sendable {
    case planned, running, done, stopped
}

/// The plan of a programme as the coordinator types it — title, horizon, years, quick-win year —
/// checked the same way when a programme is created and when its details are changed.
public struct ProgrammePlan: Equatable, Sendable {
    public var title: String
    public var horizon: ProgrammeHorizon
    public var startYear: Int
    public var endYear: Int
    public var quickWinYear: Int?

    public static let maxTitle = 300

    /// The checked plan, or nil with the failures left in `errors` (catalogue keys by field:
    /// `title`, `horizon`, `start_year`, `end_year`, `quick_win_year`).
    public static func check(title: String?, horizon: String?, startYear: String?, endYear: String?,
                             quickWinYear: String?, errors: inout FieldErrors) -> ProgrammePlan? {
        let title = errors.text("title", title, max: maxTitle, required: true)
        let horizon = ProgrammeHorizon(rawValue: horizon ?? "")
        if horizon == nil { errors.add("horizon", "setup_status_unknown") }
        let start = errors.year("start_year", startYear), end = errors.year("end_year", endYear)
        if let start, let end, end < start { errors.add("end_year", "programme_end_before_start") }
        let quickWin = errors.year("quick_win_year", quickWinYear, required: false)
        guard errors.isEmpty, let horizon, let start, let end else { return nil }
        return ProgrammePlan(title: title, horizon: horizon, startYear: start, endYear: end, quickWinYear: quickWin)
    }

    /// The years the programme runs.
    public var years: ClosedRange<Int> { startYear...endYear }
}
