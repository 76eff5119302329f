import PilarCore
import Vapor

/// `POST /lang`: switches the interface language and goes back to the page.
enum LanguageController {
    struct Form: Content {
        var lang: String
        var back: String?
    }

    @Sendable static func choose(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        guard let language = Language(rawValue: form.lang) else {
            throw Abort(.badRequest, reason: "error_language")
        }
        req.session.data[LanguageMiddleware.sessionKey] = language.rawValue
        return req.redirect(to: LocalPath.safe(form.back))
    }
}
