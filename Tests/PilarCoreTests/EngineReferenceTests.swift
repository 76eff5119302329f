import Testing
@testable import PilarCore

/// The optimised engine against a plain recursive reading of the rules, on random trees.
@Suite("Engine equals the naive reference")
struct EngineReferenceTests {
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// (score, applicable) of a node, straight from the definition.
    func reference(_ node: InstrumentNode, _ values: [String: LevelValue]) -> (Double?, Bool) {
        if node.isIndicator {
            switch values[node.code] ?? .missing {
            case let .score(v): return (v, true)
            case .missing: return (nil, true)
            case .notApplicable: return (nil, false)
            }
        }
        var num = 0.0, den = 0.0, anyApplicable = false
        for child in node.children {
            let (s, applicable) = reference(child, values)
            anyApplicable = anyApplicable || applicable
            if applicable, let s { num += child.weight * s; den += child.weight }
        }
        return (den > 0 ? num / den : nil, anyApplicable)
    }

    func randomInstrument(_ rng: inout LCG, id: Int) -> Instrument {
        var counter = 0
        func node(depth: Int) -> InstrumentNode {
            counter += 1
            let id = counter
            if depth >= 3 || (depth > 0 && rng.next(3) == 0) {
                return .indicator("i\(id)", weight: Double(1 + rng.next(4)),
                                  pillar: rng.next(2) == 0 ? SmartCityPillar.all[rng.next(6)].code : nil)
            }
            let children = (0..<(1 + rng.next(4))).map { _ in node(depth: depth + 1) }
            return .group("g\(id)", "G", weight: Double(1 + rng.next(5)), children: children)
        }
        var groups = (0..<(1 + rng.next(4))).map { _ in node(depth: 0) }
        let sum = groups.reduce(0) { $0 + $1.weight }
        for i in groups.indices { groups[i].weight = groups[i].weight * 100 / sum }
        return Instrument(id: "r\(id)", title: "", authority: "", edition: "",
                          scale: LevelScale(min: 1, max: 5, levels: []), predicates: [], rounding: .init(digits: 2, mode: .halfUp),
                          groups: groups)
    }

    @Test func randomTreesAgree() {
        var rng = LCG(state: 59)
        var reused = ScoreResult(nodeCount: 0, pillarCount: 0)
        for round in 0..<300 {
            let instrument = randomInstrument(&rng, id: round)
            let compiled = CompiledInstrument(instrument)
            var values: [String: LevelValue] = [:]
            for code in compiled.indicatorCodes {
                switch rng.next(6) {
                case 0: values[code] = .missing
                case 1: values[code] = .notApplicable
                default: values[code] = .score(Double(1 + rng.next(5)))
                }
            }
            let result = ScoringEngine.score(compiled, byCode: values)
            // index: weighted average of the applicable, scored top-level groups
            var num = 0.0, den = 0.0
            for group in instrument.groups {
                let (s, applicable) = reference(group, values)
                if applicable, let s { num += group.weight * s; den += group.weight }
            }
            let expected = den > 0 ? num / den : nil
            if let expected {
                #expect(abs(result.index! - expected) < 1e-9, "round \(round)")
            } else {
                #expect(result.index == nil, "round \(round)")
            }
            // every node's score
            for (i, code) in compiled.codes.enumerated() {
                func find(_ nodes: [InstrumentNode]) -> InstrumentNode? {
                    for n in nodes {
                        if n.code == code { return n }
                        if let hit = find(n.children) { return hit }
                    }
                    return nil
                }
                let (s, applicable) = reference(find(instrument.groups)!, values)
                #expect(result.applicable[i] == applicable)
                if let s { #expect(abs(result.nodeScore[i] - s) < 1e-9, "round \(round) node \(code)") } else { #expect(result.nodeScore[i].isNaN) }
            }
            // applicable effective weights of indicators sum to 1 (when anything is applicable)
            let total = compiled.indicatorNodes.reduce(0.0) { $0 + result.effectiveWeight[$1] }
            if result.applicable.contains(true) { #expect(abs(total - 1) < 1e-9) }
            // reusing buffers gives the same numbers
            ScoringEngine.score(compiled, values: compiled.values(from: values), into: &reused)
            #expect(reused.index == result.index)
            #expect(reused.coverage == result.coverage)
            #expect(reused.effectiveWeight == result.effectiveWeight)
        }
    }
}
