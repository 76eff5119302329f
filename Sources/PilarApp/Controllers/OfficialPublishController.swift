import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /cycles/{year}/official/publish`: the coordinator shows or hides a cycle's official result
/// on the region's public page.
enum OfficialPublishController {
    struct Form: Content {
        /// `1` when the box is ticked (absent otherwise).
        var `public`: String?
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let cycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .filter(\.$year == year).first() else { throw Abort(.notFound) }
        let form = try req.content.decode(Form.self)
        let publish = form.public?.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        let before = cycle.officialPublic ?? false
        let user = try req.requireUser()
        if before != publish {
            try await req.writeTransaction { tx in
                cycle.officialPublic = publish
                try await cycle.save(on: tx)
                try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycle.requireID(), entity: "cycle",
                                          key: String(year), action: "publish",
                                          changes: [.init(field: "official_public", before: before ? "1" : "0", after: publish ? "1" : "0")],
                                          actor: user)
            }
        }
        return req.redirect(to: SiteURL.official(year: year).path(query: ["published": publish ? "1" : "0"]))
    }
}
