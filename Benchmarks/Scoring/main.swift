// Scoring-engine benchmark: 500 score sets of a 1,000-indicator instrument, scored by the
// engine (hierarchical weighted averages with N/A renormalisation, coverage, every group's
// score and the six pillars), side by side with a flat weighted sum over the same numbers.
//
//   swift run -c release pilar-bench-scoring [rounds]
//
// Figures and their history: Benchmarks/README.md.
import Foundation
import PilarCore

let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 30 : 30
let setsCount = Int(ProcessInfo.processInfo.environment["BENCH_SETS"] ?? "500") ?? 500

/// A deterministic generator, so every run scores the same numbers.
struct LCG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }
}

// 5 dimensions (10/20/30/20/20) × 10 aspects × 20 indicators = 1,000 indicators.
let pillars = SmartCityPillar.all.map(\.code)
let rubric = (1...5).map { RubricLevel(level: $0, criteria: "c", evidence: "e") }
var groups: [InstrumentNode] = []
for (d, weight) in [10.0, 20, 30, 20, 20].enumerated() {
    var aspects: [InstrumentNode] = []
    for a in 0..<10 {
        var indicators: [InstrumentNode] = []
        for i in 0..<20 {
            let n = d * 200 + a * 20 + i
            indicators.append(InstrumentNode(kind: .indicator, code: "I\(n)", title: "Indicator \(n)",
                                             weight: Double(1 + n % 3), pillar: pillars[n % 6], naAllowed: true,
                                             rubric: rubric))
        }
        aspects.append(.group("D\(d).A\(a)", "Aspect \(a)", weight: Double(1 + a % 4), children: indicators))
    }
    groups.append(.group("D\(d)", "Dimension \(d)", weight: weight, children: aspects))
}
let instrument = Instrument(
    id: "bench", title: "Benchmark", authority: "bench", edition: "1",
    scale: LevelScale(min: 1, max: 5, levels: (1...5).map { NamedLevel(level: $0, name: "L\($0)") }),
    predicates: [PredicateBand(name: "all", min: 0)], rounding: RoundingRule(digits: 2, mode: .halfUp), groups: groups)
precondition(InstrumentValidator.validate(instrument).isEmpty)
let compiled = CompiledInstrument(instrument)
precondition(compiled.indicatorCodes.count == 1000)

// 500 score sets: about 5 % missing and 3 % not applicable.
var rng = LCG(state: 2022)
let sets: [[LevelValue]] = (0..<setsCount).map { _ in
    (0..<1000).map { _ in
        let r = rng.unit()
        if r < 0.05 { return .missing }
        if r < 0.08 { return .notApplicable }
        return .score(Double(1 + rng.next() % 5))
    }
}

// The flat weighted sum's input: the same numbers as plain arrays, with each indicator's
// effective weight when everything is applicable (what a spreadsheet would multiply).
let flatWeights: [Double] = ScoringEngine.score(compiled, values: Array(repeating: .score(3), count: 1000))
    .effectiveWeight.enumerated().filter { compiled.slot($0.offset) }.map(\.element)
let flatValues: [[Double]] = sets.map { set in set.map { $0.score ?? 0 } }

extension CompiledInstrument {
    /// Whether node `i` is an indicator (for the benchmark's flat weights).
    func slot(_ node: Int) -> Bool { indicatorNodes.contains(node) }
}

func measure(_ body: () -> Double) -> (best: Duration, median: Duration, checksum: Double) {
    var times: [Duration] = []
    var checksum = 0.0
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        var sum = 0.0
        let elapsed = clock.measure { sum = body() }
        checksum += sum
        times.append(elapsed)
    }
    times.sort()
    return (times[0], times[times.count / 2], checksum)
}

let flat = measure {
    var total = 0.0
    for values in flatValues {
        var s = 0.0
        for k in 0..<values.count { s += flatWeights[k] * values[k] }
        total += s
    }
    return total
}
let flatSame = measure {
    var total = 0.0
    for set in sets {
        var s = 0.0
        for k in 0..<set.count {
            if case let .score(v) = set[k] { s += flatWeights[k] * v }
        }
        total += s
    }
    return total
}
let engine = measure {
    var total = 0.0
    for set in sets { total += ScoringEngine.score(compiled, values: set).index ?? 0 }
    return total
}
let reuse = measure {
    var total = 0.0
    var result = ScoreResult(nodeCount: compiled.nodeCount, pillarCount: compiled.pillarCodes.count)
    for set in sets {
        ScoringEngine.score(compiled, values: set, into: &result)
        total += result.index ?? 0
    }
    return total
}
let report = measure {
    var total = 0.0
    for set in sets { total += ScoreReport(compiled, values: set).index ?? 0 }
    return total
}

func ms(_ d: Duration) -> String {
    let c = d.components
    return String(format: "%.3f ms", Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15)
}
func ratio(_ a: Duration, _ b: Duration) -> String {
    let x = a.components, y = b.components
    let av = Double(x.seconds) + Double(x.attoseconds) / 1e18, bv = Double(y.seconds) + Double(y.attoseconds) / 1e18
    return String(format: "%.1f×", av / bv)
}
print("scoring \(setsCount) score sets × 1,000 indicators (\(compiled.nodeCount) nodes), \(rounds) rounds, best / median:")
print("  flat weighted sum          \(ms(flat.best)) / \(ms(flat.median))")
print("  flat weighted sum over the engine's input ([LevelValue])  \(ms(flatSame.best)) / \(ms(flatSame.median))")
print("  engine (index, groups, coverage, pillars)  \(ms(engine.best)) / \(ms(engine.median))   ratio \(ratio(engine.best, flat.best)) (median \(ratio(engine.median, flat.median)))")
print("  engine reusing its buffers (planner)  \(ms(reuse.best)) / \(ms(reuse.median))   ratio \(ratio(reuse.best, flat.best)) (median \(ratio(reuse.median, flat.median)))")
print("  full report (+ display text, missing lists)  \(ms(report.best)) / \(ms(report.median))   ratio \(ratio(report.best, flat.best))")
print("  checksums \(flat.checksum) \(engine.checksum) \(reuse.checksum) \(report.checksum)")
