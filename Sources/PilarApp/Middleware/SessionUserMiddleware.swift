import Fluent
import Foundation
import Vapor

/// Loads the signed-in user from the session. A deactivated user, or a session idle for longer
/// than `PILAR_SESSION_IDLE_SECONDS`, is signed out.
struct SessionUserMiddleware: AsyncMiddleware {
    static let userKey = "uid"
    static let seenKey = "seen"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let raw = request.session.data[Self.userKey], let id = UUID(uuidString: raw) {
            let now = Date()
            let seen = request.session.data[Self.seenKey].flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
            let idle = seen.map { now.timeIntervalSince($0) > Double(request.application.config.sessionIdleSeconds) } ?? true
            if !idle, let user = try await User.find(id, on: request.db), user.active {
                request.auth.login(user)
                request.session.data[Self.seenKey] = String(Int(now.timeIntervalSince1970))
            } else {
                request.session.data[Self.userKey] = nil
                request.session.data[Self.seenKey] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// Whether the request came with a session cookie (without creating a session).
    var hasSession: Bool { cookies["pilar-session"] != nil }

    /// The signed-in user, or 401.
    func requireUser() throws -> User {
        guard let user = auth.get(User.self) else { throw Abort(.unauthorized) }
        return user
    }
}
