import Fluent
import Foundation
import Vapor

/// `GET /public/{regionCode}`, without sign-in: what the region publishes (`PublicPage`). The
/// coordinator's publish switch is `OfficialPublishController`.
enum PublicController {
    @Sendable static func show(_ req: Request) async throws -> View {
        guard let code = req.parameters.get("region"),
              let region = try await Region.query(on: req.db).filter(\.$code == code).first(), region.publicPage else { throw Abort(.notFound) }
        return try await req.view.render("public", try await PublicPage.build(req, region: region))
    }
}
