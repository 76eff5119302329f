import Foundation
import PilarCore

/// Charts of scores drawn on the server as SVG text (no script, no inline style: presentation
/// attributes only, so the page's Content-Security-Policy holds and the file prints alone).
/// Every series differs by line pattern, marker and fill pattern as well as colour, so the charts
/// read in black-and-white print; each carries a title and a description for screen readers, and
/// the pages show the same figures as tables.
enum Charts {
    /// How one series is drawn.
    struct Series {
        var name: String
        var color: String
        /// `stroke-dasharray`, empty for a solid line.
        var dash: String
        var marker: Marker
        /// Bars: solid, hatched or outlined.
        var fill: Fill

        enum Marker { case circle, square, diamond, none }
        enum Fill { case solid, hatched, outline }

        static let target = Series(name: "", color: "#6b3fa0", dash: "6 4", marker: .none, fill: .outline)
        static let selfLayer = Series(name: "", color: "#b26b00", dash: "2 3", marker: .square, fill: .hatched)
        static let verified = Series(name: "", color: "#0b5cad", dash: "", marker: .circle, fill: .solid)
        static let official = Series(name: "", color: "#1d7a3a", dash: "", marker: .diamond, fill: .solid)

        func named(_ name: String) -> Series { var s = self; s.name = name; return s }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    static func open(width: Double, height: Double, title: String, description: String, id: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(n(width)) \(n(height))" role="img" \
        aria-labelledby="\(id)-t \(id)-d" font-family="system-ui, sans-serif" font-size="11">\
        <title id="\(id)-t">\(escape(title))</title><desc id="\(id)-d">\(escape(description))</desc>\
        <defs><pattern id="\(id)-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <line x1="0" y1="0" x2="0" y2="5" stroke="#b26b00" stroke-width="2"/></pattern></defs>
        """
    }

    static func marker(_ s: Series, x: Double, y: Double) -> String {
        switch s.marker {
        case .circle: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3.5\" fill=\"\(s.color)\" stroke=\"#fff\"/>"
        case .square: return "<rect x=\"\(n(x - 3.5))\" y=\"\(n(y - 3.5))\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>"
        case .diamond: return "<path d=\"M\(n(x)) \(n(y - 4.5))l4.5 4.5l-4.5 4.5l-4.5-4.5z\" fill=\"\(s.color)\"/>"
        case .none: return ""
        }
    }

    /// A legend row at (x, y), one entry per series.
    static func legend(_ series: [Series], x: Double, y: Double, bars: Bool) -> String {
        var out = "", at = x
        for s in series {
            if bars {
                out += "<rect x=\"\(n(at))\" y=\"\(n(y - 8))\" width=\"14\" height=\"9\" \(barPaint(s, id: "lg"))/>"
            } else {
                out += "<line x1=\"\(n(at))\" y1=\"\(n(y - 4))\" x2=\"\(n(at + 18))\" y2=\"\(n(y - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dash.isEmpty ? "" : " stroke-dasharray=\"\(s.dash)\"")/>"
                out += marker(s, x: at + 9, y: y - 4)
            }
            out += "<text x=\"\(n(at + 22))\" y=\"\(n(y))\" fill=\"#222\">\(escape(s.name))</text>"
            at += 34 + Double(s.name.count) * 6.2
        }
        return out
    }

    static func barPaint(_ s: Series, id: String) -> String {
        switch s.fill {
        case .solid: return "fill=\"\(s.color)\""
        case .hatched: return "fill=\"url(#\(id)-hatch)\" stroke=\"\(s.color)\""
        case .outline: return "fill=\"#fff\" stroke=\"\(s.color)\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\""
        }
    }

    /// A radar (spider) chart: one axis per label, `values[series][axis]` on a scale of `low…high`.
    static func radar(id: String, title: String, description: String, axes: [String], series: [Series],
                      values: [[Double?]], low: Double, high: Double, format: (Double) -> String) -> String {
        let width = 480.0, height = 400.0, cx = 240.0, cy = 190.0, radius = 125.0
        var svg = open(width: width, height: height, title: title, description: description, id: id)
        let count = axes.count
        guard count >= 3 else { return svg + "</svg>" }
        func point(_ axis: Int, _ v: Double) -> (Double, Double) {
            let share = max(0, min(1, (v - low) / (high - low)))
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(axis) / Double(count)
            return (cx + cos(angle) * radius * share, cy + sin(angle) * radius * share)
        }
        // Rings at every whole level, spokes, and the axis labels.
        var level = low
        while level <= high + 1e-9 {
            let ring = (0..<count).map { point($0, level) }.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
            svg += "<polygon points=\"\(ring)\" fill=\"none\" stroke=\"#d5dbe3\"/>"
            let (lx, ly) = point(0, level)
            svg += "<text x=\"\(n(lx + 4))\" y=\"\(n(ly + 4))\" fill=\"#5b6675\" font-size=\"10\">\(escape(format(level)))</text>"
            level += 1
        }
        for axis in 0..<count {
            let (x, y) = point(axis, high)
            svg += "<line x1=\"\(n(cx))\" y1=\"\(n(cy))\" x2=\"\(n(x))\" y2=\"\(n(y))\" stroke=\"#d5dbe3\"/>"
            let (tx, ty) = point(axis, high + (high - low) * 0.14)
            let anchor = abs(tx - cx) < 8 ? "middle" : (tx > cx ? "start" : "end")
            svg += "<text x=\"\(n(tx))\" y=\"\(n(ty + 4))\" text-anchor=\"\(anchor)\" fill=\"#222\" font-weight=\"600\">\(escape(axes[axis]))</text>"
        }
        for (s, row) in zip(series, values) {
            let points = row.enumerated().compactMap { axis, v in v.map { point(axis, $0) } }
            guard !points.isEmpty else { continue }
            let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
            let shape = points.count == count ? "polygon" : "polyline"
            svg += "<\(shape) points=\"\(list)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dash.isEmpty ? "" : " stroke-dasharray=\"\(s.dash)\"")/>"
            svg += points.map { marker(s, x: $0.0, y: $0.1) }.joined()
        }
        return svg + legend(series, x: 16, y: height - 10, bars: false) + "</svg>"
    }

    /// Horizontal grouped bars: one group per row label, one bar per series, a scale of `low…high`,
    /// and an optional target tick per row.
    static func bars(id: String, title: String, description: String, rows: [String], series: [Series],
                     values: [[Double?]], targets: [Double?], targetName: String, low: Double, high: Double,
                     format: (Double) -> String) -> String {
        let labelWidth = 104.0, width = 440.0, right = 34.0, barHeight = 10.0
        let rowHeight = Double(series.count) * (barHeight + 2) + 12
        let top = 8.0, height = top + rowHeight * Double(rows.count) + 44
        var svg = open(width: width, height: height, title: title, description: description, id: id)
        let plotLeft = labelWidth, plotRight = width - right
        func x(_ v: Double) -> Double { plotLeft + (plotRight - plotLeft) * max(0, min(1, (v - low) / (high - low))) }
        var tick = low
        while tick <= high + 1e-9 {
            svg += "<line x1=\"\(n(x(tick)))\" y1=\"\(n(top))\" x2=\"\(n(x(tick)))\" y2=\"\(n(height - 34))\" stroke=\"#e3e8ee\"/>"
            svg += "<text x=\"\(n(x(tick)))\" y=\"\(n(height - 24))\" text-anchor=\"middle\" fill=\"#5b6675\">\(escape(format(tick)))</text>"
            tick += 1
        }
        for (r, label) in rows.enumerated() {
            let y0 = top + rowHeight * Double(r)
            let short = label.count > 16 ? String(label.prefix(15)) + "…" : label
            svg += "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(y0 + rowHeight / 2))\" text-anchor=\"end\" fill=\"#222\"><title>\(escape(label))</title>\(escape(short))</text>"
            for (k, s) in series.enumerated() {
                guard let v = values[k][r] else { continue }
                let y = y0 + 4 + Double(k) * (barHeight + 2)
                svg += "<rect x=\"\(n(plotLeft))\" y=\"\(n(y))\" width=\"\(n(max(1, x(v) - plotLeft)))\" height=\"\(n(barHeight))\" \(barPaint(s, id: id))/>"
                svg += "<text x=\"\(n(x(v) + 4))\" y=\"\(n(y + barHeight - 1))\" fill=\"#222\" font-size=\"10\">\(escape(format(v)))</text>"
            }
            if let target = targets[r] {
                svg += "<line x1=\"\(n(x(target)))\" y1=\"\(n(y0 + 1))\" x2=\"\(n(x(target)))\" y2=\"\(n(y0 + rowHeight - 7))\" stroke=\"#6b3fa0\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
            }
        }
        var legendSeries = series
        if targets.contains(where: { $0 != nil }) { legendSeries.append(Series.target.named(targetName)) }
        var out = svg + "<g>"
        var at = 16.0
        for s in legendSeries {
            if s.fill == .outline && s.marker == .none && s.dash == Series.target.dash {
                out += "<line x1=\"\(n(at + 7))\" y1=\"\(n(height - 16))\" x2=\"\(n(at + 7))\" y2=\"\(n(height - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
            } else {
                out += "<rect x=\"\(n(at))\" y=\"\(n(height - 14))\" width=\"14\" height=\"9\" \(barPaint(s, id: id))/>"
            }
            out += "<text x=\"\(n(at + 20))\" y=\"\(n(height - 6))\" fill=\"#222\">\(escape(s.name))</text>"
            at += 34 + Double(s.name.count) * 6.2
        }
        return out + "</g></svg>"
    }

    /// A line of values by year (the official index over the years) with an optional target line.
    static func trend(id: String, title: String, description: String, points: [(label: String, value: Double)],
                      series: Series, target: Double?, targetName: String, low: Double, high: Double,
                      format: (Double) -> String) -> String {
        let width = 420.0, height = 240.0, left = 40.0, right = 34.0, top = 18.0, bottom = 50.0
        var svg = open(width: width, height: height, title: title, description: description, id: id)
        let plotBottom = height - bottom
        func y(_ v: Double) -> Double { plotBottom - (plotBottom - top) * max(0, min(1, (v - low) / (high - low))) }
        let count = max(points.count - 1, 1)
        func x(_ i: Int) -> Double {
            points.count == 1 ? (left + width - right) / 2 : left + (width - right - left) * Double(i) / Double(count)
        }
        var tick = low
        while tick <= high + 1e-9 {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(tick)))\" stroke=\"#e3e8ee\"/>"
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\" fill=\"#5b6675\">\(escape(format(tick)))</text>"
            tick += 1
        }
        if let target {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y(target)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(target)))\" stroke=\"#6b3fa0\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
        }
        if points.count > 1 {
            let list = points.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element.value)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"2.5\"/>"
        }
        for (i, p) in points.enumerated() {
            svg += marker(series, x: x(i), y: y(p.value))
            svg += "<text x=\"\(n(x(i)))\" y=\"\(n(y(p.value) - 9))\" text-anchor=\"middle\" fill=\"#222\" font-weight=\"600\">\(escape(format(p.value)))</text>"
            svg += "<text x=\"\(n(x(i)))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\" fill=\"#5b6675\">\(escape(p.label))</text>"
        }
        var legendSeries = [series]
        if target != nil { legendSeries.append(Series.target.named(targetName)) }
        return svg + legend(legendSeries, x: 16, y: height - 8, bars: false) + "</svg>"
    }
}

/// A cycle's pillars as a radar and its dimensions as bars — target, self and verified — as the
/// dashboard and the printable report both draw them.
struct CycleCharts {
    var radar: String
    var bars: String

    init(_ data: CycleData, t: Catalog.Strings, lang: Language, idPrefix: String) {
        let instrument = data.compiled.instrument
        let low = instrument.scale.min, high = instrument.scale.max
        let format = { (v: Double) in Format.number(v, lang) }
        let layers: [(ScoreLayer, Charts.Series)] = [(.target, .target), (.self, .selfLayer), (.verified, .verified)]
        let reports: [ScoreReport] = layers.map { data.report($0.0) }
        let series = layers.map { $0.1.named(t["layer_\($0.0.rawValue)"]) }
        let pillarNames = data.compiled.pillarCodes.map { code in
            SmartCityPillar.named(code).map { lang == .id ? $0.nameID : $0.nameEN } ?? code
        }
        let pillarValues: [[Double?]] = reports.map { r in r.pillars.map { $0.score } }
        radar = Charts.radar(
            id: idPrefix + "radar", title: t["dashboard_radar_title"],
            description: Self.describe(pillarNames, series: series, values: pillarValues, format: format),
            axes: pillarNames, series: series, values: pillarValues, low: low, high: high, format: format)
        // Self and verified as bars, the dimension's target (its own, else the target layer's) as a tick.
        let titles = instrument.groups.map { $0.title }
        let barSeries = Array(series.dropFirst())
        let barValues: [[Double?]] = reports.dropFirst().map { r in r.groups.map { $0.score } }
        let targets = instrument.groups.indices.map { i in data.groupTargets[instrument.groups[i].code] ?? reports[0].groups[i].score }
        bars = Charts.bars(
            id: idPrefix + "dims", title: t["dashboard_bars_title"],
            description: Self.describe(titles, series: barSeries, values: barValues, format: format),
            rows: titles, series: barSeries, values: barValues, targets: targets, targetName: t["layer_target"],
            low: low, high: high, format: format)
    }

    /// "Smart Governance: Target 3,5, Mandiri 3,2 …" for screen readers.
    static func describe(_ labels: [String], series: [Charts.Series], values: [[Double?]], format: (Double) -> String) -> String {
        labels.enumerated().map { i, label in
            label + ": " + zip(series, values).map { s, row in "\(s.name) \(row[i].map(format) ?? "–")" }.joined(separator: ", ")
        }.joined(separator: "; ")
    }
}
