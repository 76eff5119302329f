import Fluent
import Foundation

/// A score from the ministry's result letter, at any level of the tree.
final class OfficialResult: Model, @unchecked Sendable {
    static let schema = "official_results"

    enum Scope: String, Codable, CaseIterable, Sendable {
        /// The whole index (scope code empty).
        case index
        /// A group of the instrument (scope code = group code).
        case group
        /// A pillar (scope code = pillar code).
        case pillar
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "scope") var scope: Scope
    @Field(key: "scope_code") var scopeCode: String
    @Field(key: "score") var score: Double

    init() {}

    init(cycleID: UUID, scope: Scope, scopeCode: String = "", score: Double) {
        self.$cycle.id = cycleID
        self.scope = scope
        self.scopeCode = scopeCode
        self.score = score
    }
}
