import Testing
@testable import PilarCore

/// The planner against exhaustive search on small instruments.
@Suite("Planner finds the least effort")
struct PlannerTests {
    /// The least effort over every combination of levels that reaches `target`, scored by the engine.
    func bruteForce(_ compiled: CompiledInstrument, values: [LevelValue], target: Double, effort: [Int]) -> Int? {
        var options: [[(value: LevelValue, cost: Int)]] = []
        for (slot, value) in values.enumerated() {
            guard case let .score(v) = value else { options.append([(value, 0)]); continue }
            var list: [(LevelValue, Int)] = [(value, 0)]
            let first = Int(v.rounded(.down)) + 1
            if first <= 5 {
                for to in first...5 { list.append((.score(Double(to)), (to - first + 1) * effort[slot])) }
            }
            options.append(list)
        }
        var best: Int?
        var current = values
        func walk(_ slot: Int, _ cost: Int) {
            if let b = best, cost >= b { return }
            if slot == values.count {
                if let index = ScoringEngine.score(compiled, values: current).index, index >= target - 1e-9 { best = cost }
                return
            }
            for option in options[slot] {
                current[slot] = option.value
                walk(slot + 1, cost + option.cost)
            }
            current[slot] = values[slot]
        }
        walk(0, 0)
        return best
    }

    @Test func smallCaseByHand() {
        let compiled = CompiledInstrument(Fixtures.small)
        // a1 = 2 (w 0.15), a2 = 3 (w 0.45), b1 = 3 (w 0.2), b2 = 2 (w 0.2): index 2.65.
        let values: [LevelValue] = [.score(2), .score(3), .score(3), .score(2)]
        let plan = Planner.plan(compiled, values: values, target: 3.0, stepEffort: [1, 1, 1, 1], maxLevel: 5)
        #expect(abs(plan.indexBefore! - 2.65) < 1e-12)
        // 0.35 is needed: a2 3→4 gives 0.45 for one step, the cheapest plan.
        #expect(plan.steps.map(\.code) == ["a2"])
        #expect(plan.steps.first?.to == 4)
        #expect(plan.effort == 1)
        #expect(abs(plan.indexAfter! - 3.1) < 1e-12)
        #expect(plan.reachesTarget)
        // When a2 is hard (a regulation: 12 per step), two cheap steps elsewhere do it.
        let hard = Planner.plan(compiled, values: values, target: 3.0, stepEffort: [1, 12, 1, 1], maxLevel: 5)
        #expect(hard.effort == 2)
        #expect(hard.indexAfter! >= 3.0 - 1e-12)
        #expect(!hard.steps.contains { $0.code == "a2" })
        // Efforts in months: the same plan as in units, at twelve times the effort.
        let months = Planner.plan(compiled, values: values, target: 3.0, stepEffort: [12, 144, 12, 12], maxLevel: 5)
        #expect(months.effort == 24 && months.steps.map(\.code) == hard.steps.map(\.code))
        #expect(months.steps.allSatisfy { $0.effort % 12 == 0 })
    }

    @Test func alreadyAtTargetAndUnreachable() {
        let compiled = CompiledInstrument(Fixtures.small)
        let values: [LevelValue] = [.score(4), .score(4), .missing, .notApplicable]
        let none = Planner.plan(compiled, values: values, target: 3.5, stepEffort: [1, 1, 1, 1], maxLevel: 5)
        #expect(none.steps.isEmpty && none.reachesTarget && none.effort == 0)
        #expect(none.unscored == ["b1"])
        let all = Planner.plan(compiled, values: values, target: 5.5, stepEffort: [1, 1, 1, 1], maxLevel: 5)
        #expect(!all.reachesTarget)
        #expect(Set(all.steps.map(\.code)) == ["a1", "a2"])
        #expect(all.steps.allSatisfy { $0.to == 5 })
        let empty = Planner.plan(compiled, values: [.missing, .missing, .missing, .missing], target: 3,
                                 stepEffort: [1, 1, 1, 1], maxLevel: 5)
        #expect(empty.indexBefore == nil && !empty.reachesTarget)
    }

    @Test func randomCasesEqualExhaustiveSearch() {
        var rng = EngineReferenceTests.LCG(state: 2022)
        let trees = EngineReferenceTests()
        var checked = 0, reachable = 0
        var round = 0
        while checked < 250 {
            round += 1
            let compiled = CompiledInstrument(trees.randomInstrument(&rng, id: round))
            let n = compiled.indicatorCodes.count
            guard n <= 6 else { continue }
            let values: [LevelValue] = (0..<n).map { _ in
                switch rng.next(10) {
                case 0: return .missing
                case 1: return .notApplicable
                case 2: return .score(Double(1 + rng.next(4)) + 0.5)
                default: return .score(Double(1 + rng.next(5)))
                }
            }
            let effort = (0..<n).map { _ in 1 + rng.next(4) }
            guard let before = ScoringEngine.score(compiled, values: values).index else { continue }
            let target = before + Double(rng.next(100)) / 100 * (5.2 - before)
            let plan = Planner.plan(compiled, values: values, target: target, stepEffort: effort, maxLevel: 5)
            let expected = bruteForce(compiled, values: values, target: target, effort: effort)
            #expect(abs(plan.indexBefore! - before) < 1e-9)
            if let expected {
                reachable += 1
                #expect(plan.reachesTarget, "round \(round)")
                #expect(plan.effort == expected, "round \(round): \(plan.effort) against \(expected)")
                // Applying the steps gives an index at or above the target.
                var after = values
                for step in plan.steps {
                    #expect(Double(step.to) > step.from)
                    after[step.slot] = .score(Double(step.to))
                }
                let index = ScoringEngine.score(compiled, values: after).index!
                #expect(index >= target - 1e-9, "round \(round)")
                #expect(abs(index - plan.indexAfter!) < 1e-9)
                #expect(abs(plan.steps.reduce(0) { $0 + $1.gain } - (index - before)) < 1e-9)
            } else {
                #expect(!plan.reachesTarget, "round \(round)")
            }
            checked += 1
        }
        #expect(reachable > 150)
    }

    @Test func shippedInstrumentPlanReachesTheTarget() throws {
        let compiled = CompiledInstrument(try Fixtures.shipped("model-smart-city-2021"))
        let values = compiled.indicatorCodes.indices.map { LevelValue.score(Double(1 + $0 % 3)) }
        let effort = compiled.indicatorCodes.indices.map { 1 + $0 % 5 }
        let plan = Planner.plan(compiled, values: values, target: 3.4, stepEffort: effort, maxLevel: 5)
        #expect(plan.reachesTarget)
        #expect(plan.indexAfter! >= 3.4 - 1e-9)
        #expect(plan.effort == plan.steps.reduce(0) { $0 + $1.effort })
    }
}
