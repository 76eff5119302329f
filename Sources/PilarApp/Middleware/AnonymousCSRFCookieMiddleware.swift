import Vapor

/// Sets the `pilar-csrf` cookie when a page made a token for a visitor who is not signed in. It sits
/// outside the error middleware, so an error page's forms work too.
struct AnonymousCSRFCookieMiddleware: Middleware {
    struct NewToken: StorageKey { typealias Value = String }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in Self.setCookie(on: response, request) }
    }

    static func setCookie(on response: Response, _ request: Request) -> Response {
        if let token = request.storage[NewToken.self] {
            let secure = request.application.config.secureCookies
            response.cookies[CSRFMiddleware.cookieName(secure: secure)] = HTTPCookies.Value(
                string: token, expires: nil, maxAge: nil, domain: nil, path: "/",
                isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}
