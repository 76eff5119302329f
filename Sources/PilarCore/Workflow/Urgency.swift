/// How pressing an open action item is on a given day: overdue once its due date has passed, soon
/// within `soonDays` of it; a closed item or one without a due date is neither.
public enum Urgency: String, Sendable, Equatable, CaseIterable {
    case overdue
    case soon
    case none = ""

    /// Items due within this many days are "soon".
    public static let soonDays = 3

    /// - Parameters: `due` and `today` as `YYYY-MM-DD` (the region's calendar day).
    public static func of(due: String?, closed: Bool, today: String, soonDays: Int = soonDays) -> Urgency {
        guard !closed, let due, !due.isEmpty else { return .none }
        if due < today { return .overdue }
        if let days = CalendarDay.days(from: today, to: due), days <= soonDays { return .soon }
        return .none
    }
}

extension Urgency {
    /// nil for `.none`, for JSON that leaves the field out.
    public var nilIfNone: Urgency? { self == .none ? nil : self }
}
