import Vapor

/// `GET /my/indicators` and `GET /review`.
enum WorkListController {
    @Sendable static func mine(_ req: Request) async throws -> View {
        try await req.view.render("worklist", try await WorkListPage.build(req, kind: .mine))
    }

    @Sendable static func review(_ req: Request) async throws -> View {
        try await req.view.render("worklist", try await WorkListPage.build(req, kind: .review))
    }
}
