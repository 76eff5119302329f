/// The flattened tree as the scoring engine reads it, in plain memory at fixed addresses.
///
/// For each group (in pre-order) its children are split into *runs* of consecutive indicator
/// children, whose node indices and value slots are both consecutive, and a list of child groups.
/// The engine then sums a run with sequential reads only, no index chasing.
final class EngineLayout: @unchecked Sendable {
    let groupCount: Int
    /// Per group: `runOffsets[g]..<runOffsets[g + 1]` index the run arrays.
    let runOffsets: UnsafeMutablePointer<Int>
    let runNode: UnsafeMutablePointer<Int>
    let runSlot: UnsafeMutablePointer<Int>
    let runCount: UnsafeMutablePointer<Int>
    /// Per group: `subOffsets[g]..<subOffsets[g + 1]` index `subNodes`, its child groups.
    let subOffsets: UnsafeMutablePointer<Int>
    let subNodes: UnsafeMutablePointer<Int>
    /// Node index of each group.
    let groupNode: UnsafeMutablePointer<Int>
    /// Per node: weight; per indicator slot: weight and pillar index (-1 for none).
    let nodeWeight: UnsafeMutablePointer<Double>
    let slotWeight: UnsafeMutablePointer<Double>
    let slotPillar: UnsafeMutablePointer<Int>

    init(groupNodes: [Int], children: [[Int]], slot: [Int], weight: [Double], pillar: [Int], indicatorNodes: [Int]) {
        var runOffsets = [0], runNode: [Int] = [], runSlot: [Int] = [], runCount: [Int] = []
        var subOffsets = [0], subNodes: [Int] = []
        for g in groupNodes {
            for c in children[g] {
                if slot[c] >= 0 {
                    if let last = runNode.indices.last, runOffsets.last! <= last,
                       runNode[last] + runCount[last] == c, runSlot[last] + runCount[last] == slot[c] {
                        runCount[last] += 1
                    } else {
                        runNode.append(c)
                        runSlot.append(slot[c])
                        runCount.append(1)
                    }
                } else {
                    subNodes.append(c)
                }
            }
            runOffsets.append(runNode.count)
            subOffsets.append(subNodes.count)
        }
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
            p.initialize(from: a, count: a.count)
            return p
        }
        groupCount = groupNodes.count
        self.runOffsets = copy(runOffsets)
        self.runNode = copy(runNode)
        self.runSlot = copy(runSlot)
        self.runCount = copy(runCount)
        self.subOffsets = copy(subOffsets)
        self.subNodes = copy(subNodes)
        self.groupNode = copy(groupNodes)
        nodeWeight = copy(weight)
        slotWeight = copy(indicatorNodes.map { weight[$0] })
        slotPillar = copy(indicatorNodes.map { pillar[$0] })
    }

    deinit {
        for p in [runOffsets, runNode, runSlot, runCount, subOffsets, subNodes, groupNode, slotPillar] { p.deallocate() }
        nodeWeight.deallocate()
        slotWeight.deallocate()
    }
}
