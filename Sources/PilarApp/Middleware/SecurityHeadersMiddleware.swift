import Vapor

/// Headers that keep pages from being framed, sniffed or loading code from elsewhere.
/// (Future-based, as the other middlewares without a database read: an `AsyncMiddleware` starts a
/// task and hops threads on every request.)
struct SecurityHeadersMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in Self.add(to: response, request) }
    }

    static func add(to response: Response, _ request: Request) -> Response {
        let headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if request.url.path != "/healthz", !request.url.path.hasPrefix("/css/"), !request.url.path.hasPrefix("/js/") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
