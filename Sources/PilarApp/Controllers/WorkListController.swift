import PilarCore
import Vapor

/// `GET /my/indicators` and `GET /review`.
enum WorkListController {
    @Sendable static func mine(_ req: Request) async throws -> View {
        try await req.view.render("worklist", try await WorkListPage.build(req, kind: .mine))
    }

    /// The review queue is the same for every coordinator of a region: kept in the page cache.
    @Sendable static func review(_ req: Request) async throws -> View {
        try req.authorize(.verify)
        let region = try await req.currentRegion()
        return try await PageCache.render(req, title: req.t["review_title"], region: try region.requireID(),
                                          key: "review|\(req.language.rawValue)",
                                          template: "worklist_content") {
            try await WorkListPage.build(req, kind: .review)
        }
    }
}
