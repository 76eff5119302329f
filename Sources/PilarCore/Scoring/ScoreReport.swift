/// Everything a person or a program wants to know about one layer's score: the index with its
/// display value, predicate, coverage and gap to target; every group; every pillar; and which
/// indicators are missing or not applicable. This is the JSON of `pilar score --format json`
/// and of `GET /api/v1/cycles/{year}/score`.
public struct ScoreReport: Sendable, Codable, Equatable {
    public struct Group: Sendable, Codable, Equatable {
        public var code: String
        public var title: String
        public var weight: Double
        public var effectiveWeight: Double
        public var applicable: Bool
        public var score: Double?
        public var display: String?
        public var coverage: Double
        public var target: Double?
        public var gap: Double?
        public var groups: [Group]

        enum CodingKeys: String, CodingKey {
            case code, title, weight, effectiveWeight = "effective_weight", applicable, score, display, coverage,
                target, gap, groups
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(title, forKey: .title)
            try c.encode(weight, forKey: .weight)
            try c.encode(effectiveWeight, forKey: .effectiveWeight)
            try c.encode(applicable, forKey: .applicable)
            try c.encode(score, forKey: .score)
            try c.encode(display, forKey: .display)
            try c.encode(coverage, forKey: .coverage)
            try c.encode(target, forKey: .target)
            try c.encode(gap, forKey: .gap)
            try c.encode(groups, forKey: .groups)
        }
    }

    public struct Pillar: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var score: Double?
        public var display: String?
        public var coverage: Double
        public var weight: Double

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(name, forKey: .name)
            try c.encode(score, forKey: .score)
            try c.encode(display, forKey: .display)
            try c.encode(coverage, forKey: .coverage)
            try c.encode(weight, forKey: .weight)
        }
    }

    public var instrument: String
    public var layer: String?
    public var index: Double?
    public var display: String?
    public var predicate: String?
    public var coverage: Double
    public var target: Double?
    public var gap: Double?
    public var gapDisplay: String?
    public var indicators: Int
    public var scored: Int
    public var missing: [String]
    public var notApplicable: [String]
    public var groups: [Group]
    public var pillars: [Pillar]

    enum CodingKeys: String, CodingKey {
        case instrument, layer, index, display, predicate, coverage, target, gap, gapDisplay = "gap_display",
            indicators, scored, missing, notApplicable = "not_applicable", groups, pillars
    }

    /// Every key is written, absent values as `null`, so clients can rely on the shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(instrument, forKey: .instrument)
        try c.encode(layer, forKey: .layer)
        try c.encode(index, forKey: .index)
        try c.encode(display, forKey: .display)
        try c.encode(predicate, forKey: .predicate)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(target, forKey: .target)
        try c.encode(gap, forKey: .gap)
        try c.encode(gapDisplay, forKey: .gapDisplay)
        try c.encode(indicators, forKey: .indicators)
        try c.encode(scored, forKey: .scored)
        try c.encode(missing, forKey: .missing)
        try c.encode(notApplicable, forKey: .notApplicable)
        try c.encode(groups, forKey: .groups)
        try c.encode(pillars, forKey: .pillars)
    }

    /// Builds the report for `values` (one per indicator slot).
    /// - Parameters:
    ///   - target: the cycle's target index; `gap` is target − index (positive: still to go).
    ///   - groupTargets: optional targets per top-level group code.
    public init(
        _ compiled: CompiledInstrument, values: [LevelValue], layer: String? = nil, target: Double? = nil,
        groupTargets: [String: Double] = [:]
    ) {
        let result = ScoringEngine.score(compiled, values: values)
        let rule = compiled.instrument.rounding
        func number(_ v: Double) -> Double? { v.isNaN ? nil : v }
        func group(_ i: Int) -> Group {
            let s = number(result.nodeScore[i])
            let t = compiled.parent[i] < 0 ? groupTargets[compiled.codes[i]] : nil
            return Group(
                code: compiled.codes[i], title: compiled.titles[i], weight: compiled.weight[i],
                effectiveWeight: result.effectiveWeight[i], applicable: result.applicable[i], score: s,
                display: s.map(rule.display), coverage: result.nodeCoverage[i], target: t,
                gap: t.flatMap { t in s.map { t - $0 } },
                groups: compiled.children[i].filter { compiled.slot[$0] < 0 }.map(group))
        }
        instrument = compiled.instrument.id
        self.layer = layer
        index = result.index
        display = result.index.map(rule.display)
        predicate = compiled.instrument.predicate(for: result.index)?.name
        coverage = result.coverage
        self.target = target
        gap = target.flatMap { t in result.index.map { t - $0 } }
        gapDisplay = gap.map(rule.display)
        indicators = values.count
        var missing: [String] = [], na: [String] = []
        for (k, value) in values.enumerated() {
            switch value {
            case .missing: missing.append(compiled.indicatorCodes[k])
            case .notApplicable: na.append(compiled.indicatorCodes[k])
            case .score: break
            }
        }
        scored = values.count - missing.count - na.count
        self.missing = missing
        notApplicable = na
        groups = compiled.roots.map(group)
        pillars = compiled.pillarCodes.enumerated().map { k, code in
            let s = number(result.pillarScore[k])
            return Pillar(
                code: code, name: SmartCityPillar.named(code)?.nameID ?? code, score: s, display: s.map(rule.display),
                coverage: result.pillarCoverage[k], weight: result.pillarWeight[k])
        }
    }
}
