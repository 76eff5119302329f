import Foundation

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
        if let days = days(from: today, to: due), days <= soonDays { return .soon }
        return .none
    }

    /// Whole days between two `YYYY-MM-DD` dates.
    static func days(from a: String, to b: String) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func date(_ text: String) -> Date? {
            let p = text.split(separator: "-").compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            return calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))
        }
        guard let x = date(a), let y = date(b) else { return nil }
        return calendar.dateComponents([.day], from: x, to: y).day
    }
}

extension Urgency {
    /// nil for `.none`, for JSON that leaves the field out.
    public var nilIfNone: Urgency? { self == .none ? nil : self }
}
