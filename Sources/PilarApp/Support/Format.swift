import Foundation

/// Numbers and dates as a person in the chosen language reads them.
enum Format {
    /// `3.06` → `3,06` in Bahasa Indonesia.
    static func decimal(_ text: String?, _ language: Language) -> String {
        guard let text else { return "–" }
        // A byte swap, not Foundation's search-and-replace (thousands of table cells use it).
        guard language == .id, text.utf8.contains(0x2E) else { return text }
        return String(decoding: text.utf8.map { $0 == 0x2E ? 0x2C : $0 }, as: UTF8.self)
    }

    /// A figure with thousands grouped and at most two decimals: `1.432` and `3,5` (id), `1,432` and `3.5` (en).
    static func number(_ value: Double, _ language: Language) -> String {
        Shared.formatters.withLock { formatters in
            let formatter = formatters[language] ?? {
                let formatter = NumberFormatter()
                formatter.numberStyle = .decimal
                formatter.maximumFractionDigits = 2
                formatter.minimumFractionDigits = 0
                formatter.groupingSeparator = language == .id ? "." : ","
                formatter.decimalSeparator = language == .id ? "," : "."
                formatter.usesGroupingSeparator = true
                formatters[language] = formatter
                return formatter
            }()
            return formatter.string(from: NSNumber(value: value)) ?? String(value)
        }
    }

    /// Formatters and calendars made once (making one costs more than a page row), used under a
    /// lock: Foundation's formatters are not safe to share between threads unguarded.
    private enum Shared {
        static let formatters = Locked<[Language: NumberFormatter]>([:])
        static let calendars = Locked<[String: Calendar]>([:])
    }

    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLock<T>(_ body: (inout Value) -> T) -> T {
            lock.lock(); defer { lock.unlock() }
            return body(&value)
        }
    }

    /// A Gregorian calendar in `zone`.
    static func calendar(_ zone: TimeZone) -> Calendar {
        Shared.calendars.withLock { calendars in
            if let known = calendars[zone.identifier] { return known }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            calendars[zone.identifier] = calendar
            return calendar
        }
    }

    /// Whole Rupiah: `Rp 71.600.000.000`.
    static func rupiah(_ value: Int64, _ language: Language) -> String {
        "Rp " + number(Double(value), language)
    }

    /// A share 0…1 as a whole per cent.
    static func percent(_ share: Double, _ language: Language) -> String {
        "\(Int((share * 100).rounded()))%"
    }

    /// `2022-10-05` → `5 Oktober 2022` / `5 October 2022`.
    static func date(_ iso: String?, _ t: Catalog.Strings) -> String? {
        guard let iso else { return nil }
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return iso }
        return "\(parts[2]) \(t["month_\(parts[1])"]) \(parts[0])"
    }

    /// A moment in the region's time zone: `29 September 2022 14.05` (id) / `29 September 2022 14:05` (en).
    static func dateTime(_ date: Date, zone: TimeZone, _ t: Catalog.Strings) -> String {
        let c = calendar(zone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let separator = t.language == .id ? "." : ":"
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : String(n) }
        let time = two(c.hour) + separator + two(c.minute)
        return "\(c.day ?? 0) \(t["month_\(c.month ?? 1)"]) \(c.year ?? 0) \(time)"
    }
}
