import Fluent
import Foundation

/// A government agency (OPD) of a region; one of them is the coordinator (Diskominfo).
final class Agency: Model, @unchecked Sendable {
    static let schema = "agencies"

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    /// Short code such as `DISKOMINFO`, unique in the region.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// Title of the agency's head, e.g. `Kepala Dinas Kesehatan`.
    @Field(key: "head_title") var headTitle: String
    @Field(key: "is_coordinator") var isCoordinator: Bool

    init() {}

    init(regionID: UUID, code: String, name: String, headTitle: String, isCoordinator: Bool = false) {
        self.$region.id = regionID
        self.code = code
        self.name = name
        self.headTitle = headTitle
        self.isCoordinator = isCoordinator
    }
}
