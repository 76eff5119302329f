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

    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1900...2200).contains(y),
              (1...12).contains(m), d >= 1
        else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }
}
