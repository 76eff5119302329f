import Vapor

/// Picks the page language: the session's choice, else Bahasa Indonesia.
struct LanguageMiddleware: Middleware {
    static let sessionKey = "lang"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let chosen = request.hasSession ? request.session.data[Self.sessionKey] : nil
        request.storage[LanguageKey.self] = chosen.flatMap(Language.init(rawValue:)) ?? .id
        return next.respond(to: request)
    }
}

struct LanguageKey: StorageKey { typealias Value = Language }

extension Request {
    var language: Language { storage[LanguageKey.self] ?? .id }
    /// The text catalogue in the request's language.
    var t: Catalog.Strings { application.catalog.strings(language) }
}
