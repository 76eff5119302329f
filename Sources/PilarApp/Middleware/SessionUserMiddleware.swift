import Fluent
import Foundation
import Vapor

/// Loads the signed-in user from the session; a deactivated user is signed out. (Sessions idle
/// for longer than `PILAR_SESSION_IDLE_SECONDS` have already expired in `DatabaseSessions`.)
struct SessionUserMiddleware: AsyncMiddleware {
    static let userKey = "uid"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let raw = request.session.data[Self.userKey], let id = UUID(uuidString: raw) {
            if let user = try await User.find(id, on: request.db), user.active {
                request.auth.login(user)
            } else {
                request.session.data[Self.userKey] = nil
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
