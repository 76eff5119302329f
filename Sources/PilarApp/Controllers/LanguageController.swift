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

/// Redirect targets taken from a form or query: only paths on this site.
enum LocalPath {
    static func safe(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
              !path.contains("\n"), !path.contains("\r") else { return "/" }
        return path
    }
}
