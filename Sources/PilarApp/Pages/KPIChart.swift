import Foundation

/// A KPI's series against its target as an SVG line chart, drawn on the server. Target and
/// realisation differ by dash pattern and marker as well as colour, so the chart reads in
/// black-and-white print; the page shows the same figures as a table.
struct KPIChart: Encodable {
    struct Tick: Encodable {
        var at: Double
        var label: String
    }

    struct Dot: Encodable {
        var x: Double
        var y: Double
        var label: String
    }

    var width = 640.0
    var height = 240.0
    var left = 56.0
    var right = 22.0
    var top = 14.0
    var bottom = 30.0
    /// Stored (not computed) so the template can read them.
    var plotRight = 628.0
    var plotBottom = 210.0
    var yTicks: [Tick]
    var xTicks: [Tick]
    var targetPoints: String
    var actualPoints: String
    var dots: [Dot]
    var summary: String

    /// `periods` in order; `targets` and `actuals` by period (missing periods are gaps).
    init(periods: [String], labels: [String], targets: [String: Double], actuals: [String: Double], summary: String,
         format: (Double) -> String) {
        self.summary = summary
        plotRight = width - right
        plotBottom = height - bottom
        let values = Array(targets.values) + Array(actuals.values)
        var low = min(0, values.min() ?? 0), high = values.max() ?? 1
        if high <= low { high = low + 1 }
        let step = Self.niceStep((high - low) / 4)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        let (l, r, t, b) = (left, width - right, top, height - bottom)
        let n = max(periods.count - 1, 1)
        func x(_ i: Int) -> Double { l + (r - l) * Double(i) / Double(n) }
        func y(_ v: Double) -> Double { b - (b - t) * (v - low) / (high - low) }
        var ticks: [Tick] = []
        var v = low
        while v <= high + step / 2 {
            ticks.append(Tick(at: Self.round(y(v)), label: format(v)))
            v += step
        }
        yTicks = ticks
        let every = max(1, periods.count / 12)
        xTicks = periods.indices.filter { $0 % every == 0 }.map { Tick(at: Self.round(x($0)), label: labels[$0]) }
        func line(_ series: [String: Double]) -> String {
            periods.enumerated().compactMap { i, p in series[p].map { "\(Self.round(x(i))),\(Self.round(y($0)))" } }
                .joined(separator: " ")
        }
        targetPoints = line(targets)
        actualPoints = line(actuals)
        dots = periods.enumerated().compactMap { i, p in
            actuals[p].map { Dot(x: Self.round(x(i)), y: Self.round(y($0)), label: "\(labels[i]): \(format($0))") }
        }
    }

    static func round(_ v: Double) -> Double { (v * 10).rounded() / 10 }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 5, 10] where m * power >= raw { return m * power }
        return 10 * power
    }
}
