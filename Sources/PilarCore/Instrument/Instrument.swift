/// One version of an evaluation instrument, loaded from a YAML (or JSON) file.
///
/// Instruments are data: the scale, the predicate bands, the rounding rule and the tree of
/// groups and indicators with their weights all come from the file, never from code.
public struct Instrument: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var authority: String
    public var edition: String
    public var year: Int?
    /// True when the file is a model written for Pilar rather than the authority's own text.
    public var isModel: Bool
    public var note: String?
    public var scale: LevelScale
    public var predicates: [PredicateBand]
    public var rounding: RoundingRule
    /// Top-level groups (their weights sum to 100).
    public var groups: [InstrumentNode]

    public init(
        id: String, title: String, authority: String, edition: String, year: Int? = nil,
        isModel: Bool = false, note: String? = nil, scale: LevelScale, predicates: [PredicateBand],
        rounding: RoundingRule, groups: [InstrumentNode]
    ) {
        self.id = id
        self.title = title
        self.authority = authority
        self.edition = edition
        self.year = year
        self.isModel = isModel
        self.note = note
        self.scale = scale
        self.predicates = predicates
        self.rounding = rounding
        self.groups = groups
    }

    /// Every indicator in tree order.
    public var indicators: [InstrumentNode] {
        var result: [InstrumentNode] = []
        func walk(_ node: InstrumentNode) {
            if node.isIndicator { result.append(node) } else { node.children.forEach(walk) }
        }
        groups.forEach(walk)
        return result
    }

    /// Every group in tree order (parents before children).
    public var allGroups: [InstrumentNode] {
        var result: [InstrumentNode] = []
        func walk(_ node: InstrumentNode) {
            guard !node.isIndicator else { return }
            result.append(node)
            node.children.forEach(walk)
        }
        groups.forEach(walk)
        return result
    }

    /// The predicate band that holds `value`, compared after removing floating-point noise.
    public func predicate(for value: Double?) -> PredicateBand? {
        guard let value else { return nil }
        let v = Rounding.snap(value)
        return predicates.first { band in
            v >= band.min && (band.max.map { v < $0 } ?? true)
        }
    }

    /// The level labels that apply to an indicator: the nearest group override, else the scale's.
    public func levelLabels(forIndicator code: String) -> [NamedLevel] {
        var found: [NamedLevel]?
        func walk(_ node: InstrumentNode, inherited: [NamedLevel]?) -> Bool {
            let labels = node.levelLabels ?? inherited
            if node.isIndicator {
                if node.code == code { found = labels; return true }
                return false
            }
            return node.children.contains { walk($0, inherited: labels) }
        }
        _ = groups.contains { walk($0, inherited: nil) }
        return found ?? scale.levels
    }
}

/// The scale indicators are scored on (for example 1–5), with its named levels.
public struct LevelScale: Sendable, Equatable, Codable {
    public var min: Double
    public var max: Double
    public var levels: [NamedLevel]

    public init(min: Double, max: Double, levels: [NamedLevel]) {
        self.min = min
        self.max = max
        self.levels = levels
    }

    /// The integer levels a rubric must describe.
    public var wholeLevels: [Int] {
        guard min.rounded(.up) <= max.rounded(.down) else { return [] }
        return Array(Int(min.rounded(.up))...Int(max.rounded(.down)))
    }

    public func contains(_ value: Double) -> Bool { value >= min && value <= max }
}

public struct NamedLevel: Sendable, Equatable, Codable {
    public var level: Int
    public var name: String
    public var description: String?

    public init(level: Int, name: String, description: String? = nil) {
        self.level = level
        self.name = name
        self.description = description
    }
}

/// A predicate band: a half-open interval `[min, max)`; a band without `max` has no upper bound.
public struct PredicateBand: Sendable, Equatable, Codable {
    public var name: String
    public var min: Double
    public var max: Double?

    public init(name: String, min: Double, max: Double? = nil) {
        self.name = name
        self.min = min
        self.max = max
    }
}

extension Instrument {
    /// The node with `code` and the groups above it (outermost first), if any.
    public func find(_ code: String) -> (node: InstrumentNode, ancestors: [InstrumentNode])? {
        func walk(_ nodes: [InstrumentNode], _ path: [InstrumentNode]) -> (InstrumentNode, [InstrumentNode])? {
            for node in nodes {
                if node.code == code { return (node, path) }
                if let hit = walk(node.children, path + [node]) { return hit }
            }
            return nil
        }
        return walk(groups, []).map { (node: $0.0, ancestors: $0.1) }
    }

    /// The pillar an indicator counts for: its own tag or its nearest tagged group's.
    public func pillar(of code: String) -> String? {
        guard let (node, ancestors) = find(code) else { return nil }
        return Self.pillar(of: node, ancestors: ancestors)
    }

    /// The pillar of `node` below `ancestors` (outermost first).
    public static func pillar(of node: InstrumentNode, ancestors: [InstrumentNode]) -> String? {
        node.pillar ?? ancestors.reversed().compactMap(\.pillar).first
    }

    /// Every indicator in tree order with the groups above it (outermost first), in one walk.
    public var indicatorPaths: [(node: InstrumentNode, ancestors: [InstrumentNode])] {
        var result: [(node: InstrumentNode, ancestors: [InstrumentNode])] = []
        func walk(_ node: InstrumentNode, _ path: [InstrumentNode]) {
            if node.isIndicator { result.append((node, path)) } else { node.children.forEach { walk($0, path + [node]) } }
        }
        groups.forEach { walk($0, []) }
        return result
    }
}
