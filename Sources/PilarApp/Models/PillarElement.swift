import Fluent
import Foundation

/// One of a pillar's three elements (sub-dimensi).
final class PillarElement: Model, @unchecked Sendable {
    static let schema = "pillar_elements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pillar_id") var pillar: Pillar
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int

    init() {}

    init(pillarID: UUID, code: String, name: String, position: Int) {
        self.$pillar.id = pillarID
        self.code = code
        self.name = name
        self.position = position
    }
}
