import Fluent
import Foundation

/// One of a region's six Smart City pillars, with its lead agency.
final class Pillar: Model, @unchecked Sendable {
    static let schema = "pillars"

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    /// `governance`, `branding`, … as instruments tag indicators.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalParent(key: "lead_agency_id") var leadAgency: Agency?
    @Field(key: "position") var position: Int

    init() {}

    init(regionID: UUID, code: String, name: String, leadAgencyID: UUID?, position: Int) {
        self.$region.id = regionID
        self.code = code
        self.name = name
        self.$leadAgency.id = leadAgencyID
        self.position = position
    }
}
