import Fluent
import Foundation
import PilarCore
import Vapor

/// One action item of the signed-in user's region, with what its permission checks need.
struct ActionItemRecord {
    let item: ActionItem
    let region: Region
    /// For the permission table: the region and the agency it is assigned to.
    let resource: AccessPolicy.Resource

    /// Loads the item of the route's `id` if the user may read it; 404 when it is not the region's.
    static func load(_ req: Request) async throws -> ActionItemRecord {
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let item = try await ActionItem.find(id, on: req.db),
              item.$region.id == region.id else { throw Abort(.notFound) }
        let resource = AccessPolicy.Resource(regionID: try region.requireID().uuidString, agencyIDs: [item.$assignee.id.uuidString])
        try req.authorize(.readActions, on: resource)
        return ActionItemRecord(item: item, region: region, resource: resource)
    }
}
