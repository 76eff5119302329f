import Fluent
import Foundation

/// A region the operator gave a reviewer: the reviewer compares it on `/regions` and opens it read-only.
final class ReviewerRegion: Model, @unchecked Sendable {
    static let schema = "reviewer_regions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "region_id") var region: Region

    init() {}

    init(userID: UUID, regionID: UUID) {
        self.$user.id = userID
        self.$region.id = regionID
    }
}
