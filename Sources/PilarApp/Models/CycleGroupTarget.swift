import Fluent
import Foundation

/// An optional target score for one top-level group of a cycle's instrument.
final class CycleGroupTarget: Model, @unchecked Sendable {
    static let schema = "cycle_group_targets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "group_code") var groupCode: String
    @Field(key: "target") var target: Double

    init() {}

    init(cycleID: UUID, groupCode: String, target: Double) {
        self.$cycle.id = cycleID
        self.groupCode = groupCode
        self.target = target
    }
}
