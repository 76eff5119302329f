/// A node of an instrument's tree: a group (with children) or an indicator (with a rubric).
public struct InstrumentNode: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case group, indicator }

    public var kind: Kind
    public var code: String
    public var title: String
    /// Weight relative to the node's siblings.
    public var weight: Double
    public var explanation: String?
    /// Pillar tag (e.g. `governance`); groups may carry one for all their indicators.
    public var pillar: String?
    /// Element tag inside the pillar (e.g. `public-services`).
    public var element: String?
    public var naAllowed: Bool
    public var rubric: [RubricLevel]
    /// Level labels that replace the scale's names for this subtree (SPBE's service domain).
    public var levelLabels: [NamedLevel]?
    public var children: [InstrumentNode]

    public init(
        kind: Kind, code: String, title: String, weight: Double, explanation: String? = nil,
        pillar: String? = nil, element: String? = nil, naAllowed: Bool = false,
        rubric: [RubricLevel] = [], levelLabels: [NamedLevel]? = nil, children: [InstrumentNode] = []
    ) {
        self.kind = kind
        self.code = code
        self.title = title
        self.weight = weight
        self.explanation = explanation
        self.pillar = pillar
        self.element = element
        self.naAllowed = naAllowed
        self.rubric = rubric
        self.levelLabels = levelLabels
        self.children = children
    }

    public var isIndicator: Bool { kind == .indicator }

    public static func group(
        _ code: String, _ title: String, weight: Double, pillar: String? = nil,
        children: [InstrumentNode]
    ) -> InstrumentNode {
        InstrumentNode(kind: .group, code: code, title: title, weight: weight, pillar: pillar, children: children)
    }

    public static func indicator(
        _ code: String, _ title: String = "", weight: Double = 1, pillar: String? = nil,
        naAllowed: Bool = false, rubric: [RubricLevel] = []
    ) -> InstrumentNode {
        InstrumentNode(
            kind: .indicator, code: code, title: title.isEmpty ? code : title, weight: weight,
            pillar: pillar, naAllowed: naAllowed, rubric: rubric)
    }
}

/// What one level of an indicator requires and the evidence expected for it.
public struct RubricLevel: Sendable, Equatable, Codable {
    public var level: Int
    public var criteria: String
    public var evidence: String

    public init(level: Int, criteria: String, evidence: String) {
        self.level = level
        self.criteria = criteria
        self.evidence = evidence
    }
}

/// How a score is shown: digits after the decimal point and how the last digit is chosen.
public struct RoundingRule: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        case halfUp = "half-up"
        case truncate
    }

    public var digits: Int
    public var mode: Mode

    public init(digits: Int, mode: Mode) {
        self.digits = digits
        self.mode = mode
    }

    public func display(_ value: Double) -> String { Rounding.display(value, rule: self) }
}
