import Fluent
import Foundation

/// A supporting (non-lead) agency of a pillar.
final class PillarSupport: Model, @unchecked Sendable {
    static let schema = "pillar_supports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pillar_id") var pillar: Pillar
    @Parent(key: "agency_id") var agency: Agency

    init() {}

    init(pillarID: UUID, agencyID: UUID) {
        self.$pillar.id = pillarID
        self.$agency.id = agencyID
    }
}
