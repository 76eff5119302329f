/// Computes an instrument's index from one layer of indicator values.
///
/// - A group's score is the weighted average of its scored children.
/// - N/A children are left out and their siblings' weights renormalised.
/// - Unscored indicators are missing: they are left out of the averages and lower the coverage;
///   they are never counted as zero.
/// - A pillar's score is the average of its scored indicators weighted by their effective weight
///   in the whole index (the product of the renormalised weights on the path from the root).
public enum ScoringEngine {
    public static func score(_ compiled: CompiledInstrument, values: [LevelValue]) -> ScoreResult {
        precondition(values.count == compiled.indicatorNodes.count, "one value per indicator")
        let n = compiled.nodeCount
        let parent = compiled.parent, weight = compiled.weight, slot = compiled.slot
        var num = [Double](repeating: 0, count: n)
        var den = [Double](repeating: 0, count: n)
        var appDen = [Double](repeating: 0, count: n)
        var score = [Double](repeating: .nan, count: n)
        var applicable = [Bool](repeating: false, count: n)
        var rootNum = 0.0, rootDen = 0.0, rootAppDen = 0.0

        // Children before parents: scores and applicable weight flow upwards.
        var i = n - 1
        while i >= 0 {
            let s = slot[i]
            var value = Double.nan
            var isApplicable: Bool
            if s >= 0 {
                switch values[s] {
                case let .score(v): value = v; isApplicable = true
                case .missing: isApplicable = true
                case .notApplicable: isApplicable = false
                }
            } else {
                isApplicable = appDen[i] > 0
                if den[i] > 0 { value = num[i] / den[i] }
            }
            score[i] = value
            applicable[i] = isApplicable
            if isApplicable {
                let w = weight[i], p = parent[i]
                if p >= 0 {
                    appDen[p] += w
                    if !value.isNaN { num[p] += w * value; den[p] += w }
                } else {
                    rootAppDen += w
                    if !value.isNaN { rootNum += w * value; rootDen += w }
                }
            }
            i -= 1
        }

        // Parents before children: effective weights and pillar sums.
        let pillarCount = compiled.pillarCodes.count
        var effective = [Double](repeating: 0, count: n)
        var scoredEff = [Double](repeating: 0, count: n)
        var pNum = [Double](repeating: 0, count: pillarCount)
        var pScored = [Double](repeating: 0, count: pillarCount)
        var pTotal = [Double](repeating: 0, count: pillarCount)
        var coverage = 0.0
        for j in 0..<n where applicable[j] {
            let p = parent[j]
            let e = p >= 0 ? effective[p] * weight[j] / appDen[p] : weight[j] / rootAppDen
            effective[j] = e
            if slot[j] >= 0 {
                let v = score[j]
                let k = compiled.pillar[j]
                if k >= 0 { pTotal[k] += e }
                if !v.isNaN {
                    scoredEff[j] = e
                    coverage += e
                    if k >= 0 { pNum[k] += e * v; pScored[k] += e }
                }
            }
        }
        // Children before parents again: scored effective weight per group, for its coverage.
        var nodeCoverage = [Double](repeating: 0, count: n)
        i = n - 1
        while i >= 0 {
            let p = parent[i]
            if p >= 0 { scoredEff[p] += scoredEff[i] }
            nodeCoverage[i] = effective[i] > 0 ? scoredEff[i] / effective[i] : 0
            i -= 1
        }
        var pillarScore = [Double](repeating: .nan, count: pillarCount)
        var pillarCoverage = [Double](repeating: 0, count: pillarCount)
        for k in 0..<pillarCount {
            if pScored[k] > 0 { pillarScore[k] = pNum[k] / pScored[k] }
            if pTotal[k] > 0 { pillarCoverage[k] = pScored[k] / pTotal[k] }
        }
        return ScoreResult(
            index: rootDen > 0 ? rootNum / rootDen : nil,
            coverage: coverage,
            nodeScore: score,
            effectiveWeight: effective,
            nodeCoverage: nodeCoverage,
            applicable: applicable,
            pillarScore: pillarScore,
            pillarCoverage: pillarCoverage,
            pillarWeight: pTotal)
    }

    /// Convenience: values keyed by indicator code.
    public static func score(_ compiled: CompiledInstrument, byCode: [String: LevelValue]) -> ScoreResult {
        score(compiled, values: compiled.values(from: byCode))
    }
}
