import Foundation

/// The rules every instrument must satisfy before it can be imported or scored.
public enum InstrumentValidator {
    static let tolerance = 1e-6

    /// All problems of `instrument`. `line` maps a node path (`groups[0].children[1]`) to its line.
    public static func validate(
        _ instrument: Instrument, line: (String) -> Int? = { _ in nil }
    ) -> [InstrumentIssue] {
        var issues: [InstrumentIssue] = []
        func fail(_ path: String, _ message: String) {
            issues.append(InstrumentIssue(line: line(path), path: path, message: message))
        }
        let scale = instrument.scale

        var seenLevels: Set<Int> = []
        for (i, named) in scale.levels.enumerated() {
            if !scale.contains(Double(named.level)) {
                fail("scale.levels[\(i)]", "level \(named.level) is outside the scale \(fmt(scale.min))–\(fmt(scale.max))")
            }
            if !seenLevels.insert(named.level).inserted { fail("scale.levels[\(i)]", "level \(named.level) is named twice") }
        }

        validatePredicates(instrument.predicates, scale: scale, fail: fail)

        let topSum = instrument.groups.reduce(0) { $0 + $1.weight }
        if !instrument.groups.isEmpty, abs(topSum - 100) > tolerance {
            let detail = instrument.groups.map { "\($0.code) \(fmt($0.weight))" }.joined(separator: " + ")
            fail("groups", "top-level weights must sum to 100, found \(fmt(topSum)) (\(detail))")
        }

        var firstSeen: [String: String] = [:]
        var indicatorCount = 0
        func walk(_ node: InstrumentNode, path: String, pillar: String?) {
            let label = node.code.isEmpty ? path : "\(path) (\(node.code))"
            if !node.code.isEmpty {
                if let first = firstSeen[node.code] {
                    let at = line(first).map { "line \($0)" } ?? first
                    fail(path, "duplicate code '\(node.code)' (first used at \(at))")
                } else {
                    firstSeen[node.code] = path
                }
            }
            if !(node.weight > 0) {
                fail(path, "weight of '\(node.code)' must be positive, found \(fmt(node.weight))")
            }
            let effectivePillar = node.pillar ?? pillar
            if let code = node.pillar, SmartCityPillar.named(code) == nil {
                let known = SmartCityPillar.all.map(\.code).joined(separator: ", ")
                fail(path, "unknown pillar '\(code)' (known: \(known))")
            }
            if let element = node.element {
                if let p = effectivePillar.flatMap(SmartCityPillar.named) {
                    if !p.elements.contains(where: { $0.code == element }) {
                        let known = p.elements.map(\.code).joined(separator: ", ")
                        fail(path, "element '\(element)' is not an element of pillar '\(p.code)' (known: \(known))")
                    }
                } else if effectivePillar == nil {
                    fail(path, "element '\(element)' is given without a pillar")
                }
            }
            for (i, named) in (node.levelLabels ?? []).enumerated() where !scale.contains(Double(named.level)) {
                fail("\(label).levels[\(i)]", "level \(named.level) is outside the scale \(fmt(scale.min))–\(fmt(scale.max))")
            }
            if node.isIndicator {
                indicatorCount += 1
                var described: Set<Int> = []
                for (i, entry) in node.rubric.enumerated() {
                    let rubricPath = "\(path).rubric[\(i)]"
                    if !scale.contains(Double(entry.level)) {
                        issues.append(InstrumentIssue(
                            line: line(rubricPath) ?? line(path), path: "\(label).rubric[\(i)]",
                            message: "rubric level \(entry.level) is outside the scale \(fmt(scale.min))–\(fmt(scale.max))"))
                    }
                    if !described.insert(entry.level).inserted {
                        issues.append(InstrumentIssue(
                            line: line(rubricPath) ?? line(path), path: "\(label).rubric[\(i)]",
                            message: "rubric level \(entry.level) is described twice"))
                    }
                }
                let missing = scale.wholeLevels.filter { !described.contains($0) }
                if !node.rubric.isEmpty, !missing.isEmpty {
                    let list = missing.map(String.init).joined(separator: ", ")
                    fail(path, "rubric of '\(node.code)' is missing level\(missing.count > 1 ? "s" : "") \(list)")
                }
            } else {
                for (i, child) in node.children.enumerated() {
                    walk(child, path: "\(path).children[\(i)]", pillar: effectivePillar)
                }
            }
        }
        for (i, group) in instrument.groups.enumerated() {
            walk(group, path: "groups[\(i)]", pillar: nil)
        }
        if !instrument.groups.isEmpty && indicatorCount == 0 {
            fail("groups", "the instrument has no indicators")
        }
        return issues
    }

    static func validatePredicates(
        _ bands: [PredicateBand], scale: LevelScale, fail: (String, String) -> Void
    ) {
        guard !bands.isEmpty else { return }
        for (i, band) in bands.enumerated() {
            let path = "predicates[\(i)]"
            if let max = band.max, !(max > band.min) {
                fail(path, "band '\(band.name)' is empty: max \(fmt(max)) is not above min \(fmt(band.min))")
            }
            if i + 1 < bands.count {
                let next = bands[i + 1]
                guard let max = band.max else {
                    fail(path, "band '\(band.name)' has no max but is not the last band; list bands from lowest to highest")
                    continue
                }
                if next.min > max + tolerance {
                    fail("predicates[\(i + 1)]", "gap between '\(band.name)' (ends before \(fmt(max))) and '\(next.name)' (starts at \(fmt(next.min)))")
                } else if next.min < max - tolerance {
                    fail("predicates[\(i + 1)]", "'\(next.name)' (starts at \(fmt(next.min))) overlaps '\(band.name)' (ends before \(fmt(max)))")
                }
            }
        }
        if bands[0].min > scale.min + tolerance {
            fail("predicates[0]", "no band covers the bottom of the scale: '\(bands[0].name)' starts at \(fmt(bands[0].min)), the scale at \(fmt(scale.min))")
        }
        if let last = bands.last, let max = last.max, !(max > scale.max) {
            fail("predicates[\(bands.count - 1)]", "no band covers the top of the scale \(fmt(scale.max)): '\(last.name)' ends before \(fmt(max)); leave out its max")
        }
    }

    public static func fmt(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
