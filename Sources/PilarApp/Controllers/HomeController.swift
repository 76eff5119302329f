import Vapor

/// `GET /`: the signed-in user's home page.
enum HomeController {
    @Sendable static func show(_ req: Request) async throws -> View {
        try await req.view.render("home", try await HomePage.build(req))
    }
}
