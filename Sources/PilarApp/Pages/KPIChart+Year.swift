import Foundation
import PilarCore

extension KPIChart {
    /// A KPI's chart for one year's periods, with its text summary (latest figure against its
    /// target), for the programme page and the public page.
    static func year(name: String, unit: String, periods: [String], targets tt: [String: Double], actuals aa: [String: Double],
                     t: Catalog.Strings, lang: Language) -> KPIChart {
        func fmt(_ v: Double) -> String { Format.number(v, lang) }
        let latest = periods.last { aa[$0] != nil }
        let summary = t.format("kpi_chart_summary", [
            "name": name, "unit": unit,
            "latest": latest.map { "\(periodLabel($0, t)) \(fmt(aa[$0]!))" } ?? "–",
            "target": latest.flatMap { tt[$0] }.map(fmt) ?? "–",
        ])
        // The chart shows one year: its axis needs only the month or quarter.
        return KPIChart(periods: periods, labels: periods.map { periodLabel($0, t, short: true) },
                        targets: tt.filter { periods.contains($0.key) }, actuals: aa.filter { periods.contains($0.key) },
                        summary: summary, format: fmt)
    }

    /// `2022-03` → `Mar 2022` (`Mar` when `short`), `2022-Q1` → `Q1 2022`, `2022` → `2022`.
    static func periodLabel(_ period: String, _ t: Catalog.Strings, short: Bool = false) -> String {
        let label = KPIPeriod.label(period)
        guard let head = label.head else { return label.year }
        let text: String = switch head {
        case let .month(key): String(t[key].prefix(3))
        case let .text(text): text
        }
        return short ? text : "\(text) \(label.year)"
    }
}
