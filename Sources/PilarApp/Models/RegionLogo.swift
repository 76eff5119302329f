import Fluent
import Foundation

/// A region's letterhead logo (PNG or SVG, checked by `LogoCheck`), kept in the database: small,
/// one per region, and read by every process of an installation alike.
final class RegionLogo: Model, @unchecked Sendable {
    static let schema = "region_logos"

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @Field(key: "content_type") var contentType: String
    @Field(key: "sha256") var sha256: String
    @Field(key: "data") var data: Data

    init() {}

    init(regionID: UUID, contentType: String, sha256: String, data: Data) {
        self.$region.id = regionID
        self.contentType = contentType
        self.sha256 = sha256
        self.data = data
    }
}
