/// An instrument flattened into arrays for fast, repeated scoring.
///
/// Nodes are kept in pre-order (a parent before its descendants), so walking the arrays
/// backwards visits every child before its parent.
public struct CompiledInstrument: Sendable {
    public let instrument: Instrument
    /// Code of every node, in pre-order.
    public let codes: [String]
    public let titles: [String]
    let parent: [Int]
    let weight: [Double]
    /// Indicator slot of a node, or -1 for a group.
    let slot: [Int]
    /// Pillar index of a node (its own tag or its nearest tagged ancestor's), or -1.
    let pillar: [Int]
    /// Node index of each indicator slot.
    public let indicatorNodes: [Int]
    public let indicatorCodes: [String]
    /// Node indices of the top-level groups.
    public let roots: [Int]
    /// Children of each node, in file order.
    let children: [[Int]]
    /// Group nodes in pre-order.
    let groupNodes: [Int]
    /// Children of every node in one array (compressed rows): node i's children are
    /// `childNodes[childOffsets[i]..<childOffsets[i + 1]]`.
    let childOffsets: [Int]
    let childNodes: [Int]
    /// Pillar codes in the order of `SmartCityPillar.all`, for those the instrument uses.
    public let pillarCodes: [String]
    let slotByCode: [String: Int]
    /// What the engine reads, at fixed addresses (see `EngineLayout`).
    let layout: EngineLayout

    public init(_ instrument: Instrument) {
        var codes: [String] = [], titles: [String] = [], parent: [Int] = [], weight: [Double] = []
        var slot: [Int] = [], pillarTag: [String?] = [], indicatorNodes: [Int] = [], roots: [Int] = []
        var children: [[Int]] = []
        func add(_ node: InstrumentNode, parentIndex: Int, inheritedPillar: String?) {
            let index = codes.count
            let tag = node.pillar ?? inheritedPillar
            codes.append(node.code)
            titles.append(node.title)
            parent.append(parentIndex)
            weight.append(node.weight)
            pillarTag.append(tag)
            children.append([])
            if parentIndex >= 0 { children[parentIndex].append(index) } else { roots.append(index) }
            if node.isIndicator {
                slot.append(indicatorNodes.count)
                indicatorNodes.append(index)
            } else {
                slot.append(-1)
                node.children.forEach { add($0, parentIndex: index, inheritedPillar: tag) }
            }
        }
        instrument.groups.forEach { add($0, parentIndex: -1, inheritedPillar: nil) }
        let used = Set(pillarTag.compactMap { $0 })
        let pillarCodes = SmartCityPillar.all.map(\.code).filter(used.contains)
        let pillarIndex = Dictionary(uniqueKeysWithValues: pillarCodes.enumerated().map { ($1, $0) })
        self.instrument = instrument
        self.codes = codes
        self.titles = titles
        self.parent = parent
        self.weight = weight
        self.slot = slot
        self.pillar = pillarTag.map { $0.flatMap { pillarIndex[$0] } ?? -1 }
        self.indicatorNodes = indicatorNodes
        self.indicatorCodes = indicatorNodes.map { codes[$0] }
        self.roots = roots
        self.children = children
        self.groupNodes = slot.indices.filter { slot[$0] < 0 }
        var offsets = [0]
        for list in children { offsets.append(offsets.last! + list.count) }
        self.childOffsets = offsets
        self.childNodes = children.flatMap { $0 }
        self.layout = EngineLayout(groupNodes: self.groupNodes, children: children, slot: slot, weight: weight,
                                   pillar: self.pillar, indicatorNodes: indicatorNodes)
        self.pillarCodes = pillarCodes
        self.slotByCode = Dictionary(indicatorNodes.enumerated().map { (codes[$1], $0) }, uniquingKeysWith: { a, _ in a })
    }

    public var nodeCount: Int { codes.count }

    /// The title of the indicator in `slot`.
    public func title(ofSlot slot: Int) -> String { titles[indicatorNodes[slot]] }

    /// The top-level group (dimension) an indicator belongs to, as a node index: a walk up the
    /// parent pointers, not a search of the tree.
    public func topGroup(ofSlot slot: Int) -> Int {
        var node = indicatorNodes[slot]
        while parent[node] >= 0 { node = parent[node] }
        return node
    }

    /// The indicator slot of `code`, if it is an indicator of this instrument.
    public func slot(of code: String) -> Int? { slotByCode[code] }

    /// Values in slot order from a dictionary keyed by indicator code; absent codes are missing.
    public func values(from byCode: [String: LevelValue]) -> [LevelValue] {
        indicatorCodes.map { byCode[$0] ?? .missing }
    }
}
