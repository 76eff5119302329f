import Foundation

/// Day arithmetic on `YYYY-MM-DD` text, in UTC (a calendar day has no time zone to get wrong).
/// The application's `CalendarDate` and PilarCore's rules (`Urgency`) both use it.
public enum CalendarDay {
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func date(_ text: String) -> Date? {
        let p = text.split(separator: "-").compactMap { Int($0) }
        return p.count == 3 ? calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2])) : nil
    }

    /// Whole days from `a` to `b`.
    public static func days(from a: String, to b: String) -> Int? {
        guard let x = date(a), let y = date(b) else { return nil }
        return calendar.dateComponents([.day], from: x, to: y).day
    }

    /// `days` after the date `text` (`text` itself when it is not a date).
    public static func adding(days: Int, to text: String) -> String {
        guard let start = date(text), let moved = calendar.date(byAdding: .day, value: days, to: start) else { return text }
        let c = calendar.dateComponents([.year, .month, .day], from: moved)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 1, c.day ?? 1)
    }
}
