import Fluent
import Foundation
import PilarCore
import Vapor

/// `/regions` for reviewers: the comparison, and opening one of the granted regions read-only
/// (the session remembers it; every request checks the grant again).
enum RegionsController {
    @Sendable static func show(_ req: Request) async throws -> View {
        try await req.view.render("regions", try await RegionsPage.build(req))
    }

    @Sendable static func open(_ req: Request) async throws -> Response {
        try req.authorize(.compareRegions)
        let user = try req.requireUser()
        guard let code = req.parameters.get("region"),
              let region = try await Region.query(on: req.db).filter(\.$code == code).first(),
              try await ReviewerRegion.query(on: req.db).filter(\.$user.$id == user.requireID())
                .filter(\.$region.$id == region.requireID()).count() > 0
        else { throw Abort(.notFound) }
        req.session.data[SessionUserMiddleware.openedRegionKey] = try region.requireID().uuidString
        return req.redirect(to: SiteURL.home.path)
    }

    @Sendable static func close(_ req: Request) async throws -> Response {
        try req.authorize(.compareRegions)
        req.session.data[SessionUserMiddleware.openedRegionKey] = nil
        return req.redirect(to: SiteURL.regions.path)
    }
}
