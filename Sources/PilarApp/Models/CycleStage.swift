import Fluent
import Foundation

/// A stage of a cycle (self-assessment, Stage I, impact survey, Stage II, result letter) with dates.
final class CycleStage: Model, @unchecked Sendable {
    static let schema = "cycle_stages"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "position") var position: Int
    /// `self_assessment`, `stage1`, `impact_survey`, `stage2`, `result_letter` or `other`.
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    /// `YYYY-MM-DD`.
    @OptionalField(key: "starts_on") var startsOn: String?
    @OptionalField(key: "ends_on") var endsOn: String?

    init() {}

    init(cycleID: UUID, position: Int, kind: String, name: String, startsOn: String?, endsOn: String?) {
        self.$cycle.id = cycleID
        self.position = position
        self.kind = kind
        self.name = name
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}
