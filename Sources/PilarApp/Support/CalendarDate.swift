import Foundation
import PilarCore

/// Calendar dates as `YYYY-MM-DD` text (no time zone to get wrong).
enum CalendarDate {
    /// Today in `zone`, `YYYY-MM-DD`.
    static func today(in zone: TimeZone, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 1, c.day ?? 1)
    }

    /// Whole days from `a` to `b` (both `YYYY-MM-DD`).
    static func days(from a: String, to b: String) -> Int? { CalendarDay.days(from: a, to: b) }

    /// `days` after the date `text` (`YYYY-MM-DD`).
    static func adding(days: Int, to text: String) -> String { CalendarDay.adding(days: days, to: text) }

    static func isValid(_ text: String) -> Bool { CalendarDay.isValid(text) }
}
