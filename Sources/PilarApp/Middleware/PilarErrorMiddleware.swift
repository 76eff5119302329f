import Leaf
import FluentPostgresDriver
import Vapor

/// Turns every error into a page in the user's language (web) or `{"error": …}` (API).
/// No SQL text or stack trace reaches the user; 5xx errors are logged with the request id. While
/// the database cannot be reached (PostgreSQL stopped or restarting) every request answers at once
/// with 503 and a page that says so; the pool connects again by itself once it is back.
struct PilarErrorMiddleware: Middleware {
    let environment: Environment

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            let promise = request.eventLoop.makePromise(of: Response.self)
            promise.completeWithTask { await self.response(for: error, request: request) }
            return promise.futureResult
        }
    }

    func response(for error: any Error, request: Request) async -> Response {
        let status: HTTPResponseStatus
        var reason: String?
        let unavailable = Self.databaseUnavailable(error)
        if unavailable {
            status = .serviceUnavailable
        } else if let abort = error as? any AbortError {
            status = abort.status
            reason = abort.reason == abort.status.reasonPhrase ? nil : abort.reason
        } else {
            status = .internalServerError
        }
        if status.code >= 500 {
            request.logger.error("\(status.code) \(request.method) \(request.url.path): \(String(reflecting: error))")
            reason = nil
        }
        let t = request.t
        let message = unavailable ? t["error_database_unavailable"] : Self.message(status: status, reason: reason, t: t)
        if request.url.path.hasPrefix("/api/") {
            let response = Response(status: status)
            try? response.content.encode(["error": message], as: .json)
            if unavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
            return response
        }
        if status == .unauthorized {
            let next = request.method == .GET ? request.url.path : "/"
            return request.redirect(to: SiteURL.signIn.path(query: ["next": next]))
        }
        let context = ErrorPage(
            page: PageChrome(request: request, title: t["error_title"]),
            status: Int(status.code), message: message, requestID: request.id)
        do {
            let response = try await request.view.render("error", context).encodeResponse(status: status, for: request)
            if unavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
            return response
        } catch {
            let response = Response(status: status, body: .init(string: message))
            response.headers.contentType = .plainText
            return response
        }
    }

    /// True when `error` says the database server could not be reached or is shutting down or
    /// starting up (SQLSTATE classes 08 and 57P), not that a statement was wrong.
    static func databaseUnavailable(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed: return true
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P")
        default: return false
        }
    }

    static func message(status: HTTPResponseStatus, reason: String?, t: Catalog.Strings) -> String {
        switch status.code {
        case 403 where reason == "csrf": return t["error_csrf"]
        case 400, 422: return reason.map { t.lookup($0) ?? $0 } ?? t["error_bad_request"]
        case 401: return t["error_unauthorized"]
        // A refusal that says why, when the reason is a text of the catalogue.
        case 403: return reason.flatMap { t.lookup($0) } ?? t["error_forbidden"]
        case 404: return t["error_not_found"]
        case 413: return t["error_too_large"]
        case 429: return reason.map { t.lookup($0) ?? $0 } ?? t["error_too_many"]
        case 500...: return t["error_server"]
        default: return reason.map { t.lookup($0) ?? $0 } ?? status.reasonPhrase
        }
    }
}
