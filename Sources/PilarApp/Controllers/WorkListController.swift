import PilarCore
import Vapor

/// `GET /my/indicators` and `GET /review`.
enum WorkListController {
    @Sendable static func mine(_ req: Request) async throws -> Response {
        let page = try await WorkListPage.build(req, kind: .mine)
        return req.html(page.page, page.body())
    }

    /// The review queue is the same for every coordinator of a region: kept in the page cache.
    @Sendable static func review(_ req: Request) async throws -> Response {
        try req.authorize(.verify)
        let region = try await req.currentRegion()
        // The page as the pager reads it (a number typed past the end shows the last page), bounded
        // so that made-up numbers cannot fill the cache.
        let page = min(max((try? req.query.get(String.self, at: "page")).flatMap { Int($0) } ?? 1, 1), 1_000)
        return try await PageCache.render(req, title: req.t["review_title"], region: try region.requireID(),
                                          key: "review|\(req.language.rawValue)|\(page)") {
            try await WorkListPage.build(req, kind: .review).body()
        }
    }
}
