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
        // Plain pointers and no closures over mutable state: the loops run without bounds or
        // exclusivity checks, and indicators are read in runs (see `EngineLayout`).
        let L = compiled.layout
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * n + 3 * pillarCount)
        defer { scratch.deallocate() }
        let score = scratch, coverage = scratch + n, appDen = scratch + 2 * n, effective = scratch + 3 * n
        let pNum = scratch + 4 * n, pScored = pNum + pillarCount, pTotal = pScored + pillarCount
        let applicable = UnsafeMutablePointer<Bool>.allocate(capacity: max(n, 1))
        defer { applicable.deallocate() }
        score.initialize(repeating: .nan, count: n)
        (scratch + n).initialize(repeating: 0, count: 3 * n + 3 * pillarCount)
        applicable.initialize(repeating: false, count: n)
        var rootNum = 0.0, rootDen = 0.0, rootApp = 0.0, rootCov = 0.0

        // 0. Decode the values into plain arrays in one tight sequential loop (the input may be
        //    cold in memory; a short loop keeps many loads in flight).
        let slotValue = UnsafeMutablePointer<Double>.allocate(capacity: max(values.count, 1))
        let slotCounted = UnsafeMutablePointer<Double>.allocate(capacity: max(values.count, 1))
        defer { slotValue.deallocate(); slotCounted.deallocate() }
        values.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count {
                switch buffer[i] {
                case let .score(v): slotValue[i] = v; slotCounted[i] = 1
                case .missing: slotValue[i] = .nan; slotCounted[i] = 1
                case .notApplicable: slotValue[i] = .nan; slotCounted[i] = 0
                }
            }
        }
        do {
            // 1. Groups from the last to the first (children before parents): score, applicability, coverage.
            var g = L.groupCount - 1
            while g >= 0 {
                var num = 0.0, den = 0.0, app = 0.0, cov = 0.0
                for r in L.runOffsets[g]..<L.runOffsets[g + 1] {
                    let node = L.runNode[r], first = L.runSlot[r]
                    for j in 0..<L.runCount[r] {
                        let w = L.slotWeight[first + j]
                        let v = slotValue[first + j]
                        let counted = slotCounted[first + j]
                        let scored: Double = v.isNaN ? 0 : 1
                        score[node + j] = v
                        coverage[node + j] = scored
                        applicable[node + j] = counted != 0
                        app += w * counted
                        if scored != 0 { num += w * v; den += w; cov += w }
                    }
                }
                for k in L.subOffsets[g]..<L.subOffsets[g + 1] {
                    let c = L.subNodes[k]
                    guard applicable[c] else { continue }
                    let w = L.nodeWeight[c]
                    app += w
                    cov += w * coverage[c]
                    let v = score[c]
                    if !v.isNaN { num += w * v; den += w }
                }
                let node = L.groupNode[g]
                appDen[node] = app
                if app > 0 {
                    applicable[node] = true
                    coverage[node] = cov / app
                    if den > 0 { score[node] = num / den }
                }
                g -= 1
            }
        }
        for r in compiled.roots where applicable[r] {
            let w = L.nodeWeight[r]
            rootApp += w
            rootCov += w * coverage[r]
            let v = score[r]
            if !v.isNaN { rootNum += w * v; rootDen += w }
        }
        // 2. Groups from the first (parents before children): effective weights and pillar sums.
        for r in compiled.roots where applicable[r] { effective[r] = L.nodeWeight[r] / rootApp }
        for g in 0..<L.groupCount {
            let node = L.groupNode[g]
            guard applicable[node] else { continue }
            let factor = effective[node] / appDen[node]
            for r in L.runOffsets[g]..<L.runOffsets[g + 1] {
                let first = L.runNode[r], slot = L.runSlot[r]
                for j in 0..<L.runCount[r] where applicable[first + j] {
                    let e = factor * L.slotWeight[slot + j]
                    effective[first + j] = e
                    let p = L.slotPillar[slot + j]
                    if p >= 0 {
                        pTotal[p] += e
                        let v = score[first + j]
                        if !v.isNaN { pNum[p] += e * v; pScored[p] += e }
                    }
                }
            }
            for k in L.subOffsets[g]..<L.subOffsets[g + 1] {
                let c = L.subNodes[k]
                if applicable[c] { effective[c] = factor * L.nodeWeight[c] }
            }
        }

        for k in 0..<pillarCount {
            result.pillarScore[k] = pScored[k] > 0 ? pNum[k] / pScored[k] : .nan
            result.pillarCoverage[k] = pTotal[k] > 0 ? pScored[k] / pTotal[k] : 0
            result.pillarWeight[k] = pTotal[k]
        }
        result.index = rootDen > 0 ? rootNum / rootDen : nil
        result.coverage = rootApp > 0 ? rootCov / rootApp : 0
        copy(score, n, into: &result.nodeScore)
        copy(coverage, n, into: &result.nodeCoverage)
        copy(appDen, n, into: &result.groupWeightSum)
        copy(effective, n, into: &result.effectiveWeight)
        result.applicable.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: applicable, count: n) }
    }

    private static func copy(_ source: UnsafeMutablePointer<Double>, _ count: Int, into array: inout [Double]) {
        array.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: count) }
    }

    /// Convenience: values keyed by indicator code.
    public static func score(_ compiled: CompiledInstrument, byCode: [String: LevelValue]) -> ScoreResult {
        score(compiled, values: compiled.values(from: byCode))
    }
}
