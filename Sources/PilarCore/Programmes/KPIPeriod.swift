import Foundation

/// How often a KPI is measured.
public enum KPIFrequency: String, CaseIterable, Codable, Sendable {
    case monthly, quarterly, yearly
}

/// The periods a KPI is measured in, written `2022-03` (a month), `2022-Q1` (a quarter) or `2022`
/// (a year): which periods a year has, which a programme accepts, and how a period is labelled.
/// The programme page, the public page and the KPI sheet all read them from here.
public enum KPIPeriod {
    /// The periods of `year` for a KPI measured `frequency`: `2022-01`…`2022-12`, `2022-Q1`…`2022-Q4`, or `2022`.
    public static func all(_ frequency: KPIFrequency, year: Int) -> [String] {
        switch frequency {
        case .monthly: (1...12).map { String(format: "%04d-%02d", year, $0) }
        case .quarterly: (1...4).map { "\(year)-Q\($0)" }
        case .yearly: [String(year)]
        }
    }

    /// The year a period belongs to (`2022-Q3` → 2022).
    public static func year(of period: String) -> Int? {
        Int(period.prefix(4))
    }

    /// Whether `period` is one of the KPI's periods in a year the programme runs.
    public static func accepts(_ period: String, frequency: KPIFrequency, years: ClosedRange<Int>) -> Bool {
        guard let year = year(of: period), years.contains(year) else { return false }
        return all(frequency, year: year).contains(period)
    }

    /// How a period is shown: a month by the catalogue key of its name (`month_3`, shown by its
    /// first three letters), a quarter by its text (`Q1`), each with its year; a year alone.
    public struct Label: Equatable, Sendable {
        public enum Head: Equatable, Sendable {
            case month(key: String)
            case text(String)
        }

        /// Nil for a yearly period (the label is the year itself).
        public let head: Head?
        public let year: String
    }

    public static func label(_ period: String) -> Label {
        let parts = period.split(separator: "-").map(String.init)
        guard parts.count == 2 else { return Label(head: nil, year: period) }
        if let month = Int(parts[1]) { return Label(head: .month(key: "month_\(month)"), year: parts[0]) }
        return Label(head: .text(parts[1]), year: parts[0])
    }
}

/// Whether a KPI's figure falls short of its target: below it when higher is better, above it when
/// lower is better; never without both a figure and a target.
public enum KPIGoal {
    public static func isBehind(actual: Double?, target: Double?, higherIsBetter: Bool) -> Bool {
        guard let actual, let target else { return false }
        return higherIsBetter ? actual < target : actual > target
    }
}
