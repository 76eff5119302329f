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

    /// Whether `text` is a real day written `YYYY-MM-DD` (years 1900–2200).
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1900...2200).contains(y),
              (1...12).contains(m), d >= 1
        else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
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
