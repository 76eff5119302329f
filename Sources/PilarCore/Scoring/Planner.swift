/// Finds the level increases that bring an index to a target with the least effort.
///
/// With the set of scored indicators fixed, the index is linear in their values: it equals
/// Σ wᵢ·vᵢ, where wᵢ is the indicator's effective weight among the scored indicators (the product
/// of its renormalised weights on the path from the root). Raising indicator i from `from` to
/// level `to` therefore gains wᵢ·(to − from) whatever else changes, and costs (to − ⌊from⌋)
/// steps of its step effort. Choosing one `to` per indicator so that the gains reach the gap at
/// the least total effort is a multiple-choice covering knapsack; it is solved exactly by
/// dynamic programming over the (whole-number) effort, bounded by a greedy plan's effort.
///
/// Indicators without a value in the layer (missing) and N/A ones are not planned: raising a
/// missing indicator would change the weights of the others. The plan's index is checked by
/// the scoring engine itself, not by the linear model.
public enum Planner {
    public struct Step: Sendable, Equatable, Codable {
        public var code: String
        public var slot: Int
        public var from: Double
        public var to: Int
        /// What the step adds to the index.
        public var gain: Double
        public var effort: Int
    }

    public struct Plan: Sendable, Equatable {
        /// Steps in the order worth taking first (most index per effort).
        public var steps: [Step]
        public var indexBefore: Double?
        public var indexAfter: Double?
        public var effort: Int
        /// Whether the steps reach the target; when they cannot, the steps are every possible
        /// increase (the best the layer can do).
        public var reachesTarget: Bool
        /// Indicators left out of the plan because the layer has no value for them.
        public var unscored: [String]
        /// Whether the effort is the least possible (false only for very large tables, where the
        /// greedy plan by index per effort is given instead).
        public var exact = true
    }

    /// - Parameters:
    ///   - values: one layer's values in slot order.
    ///   - stepEffort: effort of one level step per slot (whole numbers ≥ 1; anything lower counts as 1).
    ///   - maxLevel: the highest level of the scale.
    ///   - fixed: slots that must not change (for example a level set by law).
    public static func plan(
        _ compiled: CompiledInstrument, values: [LevelValue], target: Double, stepEffort: [Int],
        maxLevel: Int, fixed: Set<Int> = []
    ) -> Plan {
        precondition(values.count == compiled.indicatorNodes.count && stepEffort.count == values.count)
        // Effective weights among the scored indicators: score with the missing ones left out.
        let scoredOnly = values.map { $0 == .missing ? LevelValue.notApplicable : $0 }
        let base = ScoringEngine.score(compiled, values: scoredOnly)
        let unscored = values.indices.filter { values[$0] == .missing }.map { compiled.indicatorCodes[$0] }
        guard let before = base.index else {
            return Plan(steps: [], indexBefore: nil, indexAfter: nil, effort: 0, reachesTarget: false, unscored: unscored)
        }
        let need = target - before
        if need <= tolerance {
            return Plan(steps: [], indexBefore: before, indexAfter: before, effort: 0, reachesTarget: true, unscored: unscored)
        }

        // The options per indicator: k = 1…K steps up, cost k·c, gain w·(to − from).
        var items: [Item] = []
        for (slot, value) in values.enumerated() {
            guard case let .score(v) = value, !fixed.contains(slot) else { continue }
            let w = base.effectiveWeight[compiled.indicatorNodes[slot]]
            let firstLevel = Int(v.rounded(.down)) + 1
            guard w > 0, firstLevel <= maxLevel else { continue }
            items.append(Item(slot: slot, from: v, firstLevel: firstLevel, weight: w, cost: max(1, stepEffort[slot]),
                              steps: maxLevel - firstLevel + 1))
        }

        // A feasible plan (and the bound on the optimum's effort): whole indicators by gain per effort.
        let maxGain = items.reduce(0) { $0 + gain($1, $1.steps) }
        guard maxGain >= need - tolerance else {
            let all = items.map { ($0, $0.steps) }
            return finish(compiled, values: values, target: target, chosen: all, unscored: unscored, before: before)
        }
        // Efforts in units of their greatest common divisor keep the table small (12, 24 → 1, 2).
        let unit = items.reduce(0) { gcd($0, $1.cost) }
        if unit > 1 { for i in items.indices { items[i].cost /= unit } }
        var bound = 0, reached = 0.0
        var greedy: [(Item, Int)] = []
        for item in items.sorted(by: { gain($0, $0.steps) / Double($0.cost * $0.steps) > gain($1, $1.steps) / Double($1.cost * $1.steps) }) {
            guard reached < need - tolerance else { break }
            var k = 1
            while k < item.steps && reached + gain(item, k) < need - tolerance { k += 1 }
            reached += gain(item, k)
            bound += k * item.cost
            greedy.append((item, k))
        }
        // The exact table needs items × effort cells; beyond this many the greedy plan is kept
        // (it reaches the target, perhaps at more effort) rather than holding hundreds of megabytes.
        guard items.count * (bound + 1) <= maxCells else {
            if unit > 1 { for i in greedy.indices { greedy[i].0.cost *= unit } }
            var plan = finish(compiled, values: values, target: target, chosen: greedy, unscored: unscored, before: before)
            plan.exact = false
            return plan
        }

        // best[c]: the largest gain with effort at most c, over the items seen so far.
        // choice[i][c]: how many steps item i takes in that best (0 = none).
        let width = bound + 1
        var best = [Double](repeating: 0, count: width)
        var next = best
        var choice = [UInt8](repeating: 0, count: items.count * width)
        for (i, item) in items.enumerated() {
            let row = i * width
            for c in 0..<width {
                var value = best[c], pick: UInt8 = 0
                var k = 1
                while k <= item.steps, k * item.cost <= c {
                    let candidate = best[c - k * item.cost] + gain(item, k)
                    if candidate > value + tolerance { value = candidate; pick = UInt8(k) }
                    k += 1
                }
                next[c] = value
                choice[row + c] = pick
            }
            swap(&best, &next)
        }
        // The least effort that reaches the gap (the greedy bound always does).
        let effort = best.firstIndex { $0 >= need - tolerance } ?? bound
        var chosen: [(Item, Int)] = []
        var c = effort
        for i in stride(from: items.count - 1, through: 0, by: -1) {
            let k = Int(choice[i * width + c])
            if k > 0 { chosen.append((items[i], k)); c -= k * items[i].cost }
        }
        if unit > 1 { for i in chosen.indices { chosen[i].0.cost *= unit } }
        return finish(compiled, values: values, target: target, chosen: chosen, unscored: unscored, before: before)
    }

    /// The most cells the exact table may hold (one byte each).
    static let maxCells = 40_000_000

    /// Tolerance for comparing sums of weighted levels (float noise, not a rounding rule).
    static let tolerance = 1e-9

    /// One indicator that can go up: from its value to `firstLevel` … `firstLevel + steps − 1`.
    struct Item {
        var slot: Int
        var from: Double
        var firstLevel: Int
        var weight: Double
        var cost: Int
        var steps: Int
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    static func gain(_ item: Item, _ k: Int) -> Double { item.weight * (Double(item.firstLevel + k - 1) - item.from) }

    private static func finish(
        _ compiled: CompiledInstrument, values: [LevelValue], target: Double, chosen: [(Item, Int)],
        unscored: [String], before: Double
    ) -> Plan {
        var after = values
        var steps: [Step] = []
        for (item, k) in chosen {
            let to = item.firstLevel + k - 1
            after[item.slot] = .score(Double(to))
            steps.append(Step(code: compiled.indicatorCodes[item.slot], slot: item.slot, from: item.from, to: to,
                              gain: gain(item, k), effort: k * item.cost))
        }
        steps.sort { ($0.gain / Double($0.effort), $1.code) > ($1.gain / Double($1.effort), $0.code) }
        let index = ScoringEngine.score(compiled, values: after.map { $0 == .missing ? .notApplicable : $0 }).index
        let effort = steps.reduce(0) { $0 + $1.effort }
        return Plan(steps: steps, indexBefore: before, indexAfter: index, effort: effort,
                    reachesTarget: index.map { $0 >= target - tolerance } ?? false, unscored: unscored)
    }
}
