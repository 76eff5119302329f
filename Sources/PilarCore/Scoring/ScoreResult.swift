/// The numbers the scoring engine computes for one layer of values. `nan` means "no score".
public struct ScoreResult: Sendable {
    /// The index (weighted average of the top-level groups' scores), or `nil` when nothing is scored.
    public var index: Double?
    /// Share of the applicable weight that is scored (0…1).
    public var coverage: Double
    /// Score of every node in pre-order (`nan` where nothing below it is scored or it is N/A).
    public var nodeScore: [Double]
    /// Effective weight of every node in the whole index (0 for N/A nodes); applicable ones sum to 1 per level.
    public var effectiveWeight: [Double]
    /// Share of each node's applicable effective weight that is scored.
    public var nodeCoverage: [Double]
    /// Whether each node is applicable (an indicator not N/A, or a group with an applicable descendant).
    public var applicable: [Bool]
    /// Per pillar (in `CompiledInstrument.pillarCodes` order): score, share of its weight scored, and its
    /// effective weight in the index.
    public var pillarScore: [Double]
    public var pillarCoverage: [Double]
    public var pillarWeight: [Double]
    /// Sum of the applicable children's weights of each group (scratch for renormalising).
    public var groupWeightSum: [Double]

    public init(nodeCount n: Int, pillarCount p: Int) {
        index = nil
        coverage = 0
        nodeScore = [Double](repeating: .nan, count: n)
        effectiveWeight = [Double](repeating: 0, count: n)
        nodeCoverage = [Double](repeating: 0, count: n)
        applicable = [Bool](repeating: false, count: n)
        pillarScore = [Double](repeating: .nan, count: p)
        pillarCoverage = [Double](repeating: 0, count: p)
        pillarWeight = [Double](repeating: 0, count: p)
        groupWeightSum = [Double](repeating: 0, count: n)
    }
}
