/// Computes an instrument's index from one layer of indicator values.
///
/// - A group's score is the weighted average of its scored children.
/// - N/A children are left out and their siblings' weights renormalised.
/// - Unscored indicators are missing: they are left out of the averages and lower the coverage;
///   they are never counted as zero.
/// - A pillar's score is the average of its scored indicators weighted by their effective weight
///   in the whole index (the product of the renormalised weights on the path from the root).
///
/// Two passes over the groups of the flattened tree, each group summing its children in
/// registers; no dictionary look-ups (see Benchmarks/README.md for its speed).
public enum ScoringEngine {
    public static func score(_ compiled: CompiledInstrument, values: [LevelValue]) -> ScoreResult {
        var result = ScoreResult(nodeCount: compiled.nodeCount, pillarCount: compiled.pillarCodes.count)
        score(compiled, values: values, into: &result)
        return result
    }

    /// Scores into `result`, reusing its buffers: for scoring many variants of one instrument
    /// (the planner, what-if) without allocating per variant.
    public static func score(_ compiled: CompiledInstrument, values: [LevelValue], into result: inout ScoreResult) {
        precondition(values.count == compiled.indicatorNodes.count, "one value per indicator")
        let n = compiled.nodeCount
        let pillarCount = compiled.pillarCodes.count
        if result.nodeScore.count != n || result.pillarScore.count != pillarCount {
            result = ScoreResult(nodeCount: n, pillarCount: pillarCount)
        }
        let layout = compiled.layout
        let roots = compiled.roots
        var totals = Totals()
        values.withUnsafeBufferPointer { values in
        result.nodeScore.withUnsafeMutableBufferPointer { score in
        result.nodeCoverage.withUnsafeMutableBufferPointer { coverage in
        result.groupWeightSum.withUnsafeMutableBufferPointer { appDen in
        result.effectiveWeight.withUnsafeMutableBufferPointer { effective in
        result.applicable.withUnsafeMutableBufferPointer { applicable in
        result.pillarScore.withUnsafeMutableBufferPointer { pNum in
        result.pillarCoverage.withUnsafeMutableBufferPointer { pScored in
        result.pillarWeight.withUnsafeMutableBufferPointer { pTotal in
            totals = compute(
                layout, roots: roots, nodeCount: n, pillarCount: pillarCount, values: values.baseAddress!,
                score: score.baseAddress!, coverage: coverage.baseAddress!, appDen: appDen.baseAddress!,
                effective: effective.baseAddress!, applicable: applicable.baseAddress!,
                pNum: pNum.baseAddress!, pScored: pScored.baseAddress!, pTotal: pTotal.baseAddress!)
        }}}}}}}}}
        result.index = totals.den > 0 ? totals.num / totals.den : nil
        result.coverage = totals.app > 0 ? totals.cov / totals.app : 0
    }

    struct Totals {
        var num = 0.0, den = 0.0, app = 0.0, cov = 0.0
    }

    /// The two passes, over plain pointers only: no bounds checks, no exclusivity checks, and
    /// indicators read in runs of consecutive slots (see `EngineLayout`). On return the pillar
    /// buffers hold each pillar's score, coverage and weight.
    private static func compute(
        _ layout: EngineLayout, roots: [Int], nodeCount n: Int, pillarCount: Int, values: UnsafePointer<LevelValue>,
        score: UnsafeMutablePointer<Double>, coverage: UnsafeMutablePointer<Double>,
        appDen: UnsafeMutablePointer<Double>, effective: UnsafeMutablePointer<Double>,
        applicable: UnsafeMutablePointer<Bool>, pNum: UnsafeMutablePointer<Double>,
        pScored: UnsafeMutablePointer<Double>, pTotal: UnsafeMutablePointer<Double>
    ) -> Totals {
        let runOffsets = layout.runOffsets, runNode = layout.runNode, runSlot = layout.runSlot
        let runCount = layout.runCount, subOffsets = layout.subOffsets, subNodes = layout.subNodes
        let groupNode = layout.groupNode, nodeWeight = layout.nodeWeight, slotWeight = layout.slotWeight
        let slotPillar = layout.slotPillar, groupCount = layout.groupCount
        score.update(repeating: .nan, count: n)
        coverage.update(repeating: 0, count: n)
        appDen.update(repeating: 0, count: n)
        effective.update(repeating: 0, count: n)
        applicable.update(repeating: false, count: n)
        pNum.update(repeating: 0, count: pillarCount)
        pScored.update(repeating: 0, count: pillarCount)
        pTotal.update(repeating: 0, count: pillarCount)

        // 1. Groups from the last to the first (children before parents): score, applicability, coverage.
        var g = groupCount - 1
        while g >= 0 {
            var num = 0.0, den = 0.0, app = 0.0, cov = 0.0
            for r in runOffsets[g]..<runOffsets[g + 1] {
                let node = runNode[r], first = runSlot[r]
                for j in 0..<runCount[r] {
                    let w = slotWeight[first + j]
                    switch values[first + j] {
                    case let .score(v):
                        score[node + j] = v; coverage[node + j] = 1; applicable[node + j] = true
                        num += w * v; den += w; app += w; cov += w
                    case .missing:
                        applicable[node + j] = true
                        app += w
                    case .notApplicable:
                        break
                    }
                }
            }
            for k in subOffsets[g]..<subOffsets[g + 1] {
                let c = subNodes[k]
                guard applicable[c] else { continue }
                let w = nodeWeight[c]
                app += w
                cov += w * coverage[c]
                let v = score[c]
                if !v.isNaN { num += w * v; den += w }
            }
            let node = groupNode[g]
            appDen[node] = app
            if app > 0 {
                applicable[node] = true
                coverage[node] = cov / app
                if den > 0 { score[node] = num / den }
            }
            g -= 1
        }
        var totals = Totals()
        for r in roots where applicable[r] {
            let w = nodeWeight[r]
            totals.app += w
            totals.cov += w * coverage[r]
            let v = score[r]
            if !v.isNaN { totals.num += w * v; totals.den += w }
        }
        // 2. Groups from the first (parents before children): effective weights and pillar sums.
        for r in roots where applicable[r] { effective[r] = nodeWeight[r] / totals.app }
        for g in 0..<groupCount {
            let node = groupNode[g]
            guard applicable[node] else { continue }
            let factor = effective[node] / appDen[node]
            for r in runOffsets[g]..<runOffsets[g + 1] {
                let first = runNode[r], slot = runSlot[r]
                for j in 0..<runCount[r] where applicable[first + j] {
                    let e = factor * slotWeight[slot + j]
                    effective[first + j] = e
                    let p = slotPillar[slot + j]
                    if p >= 0 {
                        pTotal[p] += e
                        let v = score[first + j]
                        if !v.isNaN { pNum[p] += e * v; pScored[p] += e }
                    }
                }
            }
            for k in subOffsets[g]..<subOffsets[g + 1] {
                let c = subNodes[k]
                if applicable[c] { effective[c] = factor * nodeWeight[c] }
            }
        }
        // Pillar buffers: (Σe·v, Σe scored, Σe) become (score, coverage, weight).
        for k in 0..<pillarCount {
            let scored = pScored[k], total = pTotal[k]
            pNum[k] = scored > 0 ? pNum[k] / scored : .nan
            pScored[k] = total > 0 ? scored / total : 0
        }
        return totals
    }

    /// Convenience: values keyed by indicator code.
    public static func score(_ compiled: CompiledInstrument, byCode: [String: LevelValue]) -> ScoreResult {
        score(compiled, values: compiled.values(from: byCode))
    }
}
