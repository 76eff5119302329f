import Fluent
import Foundation
import Vapor

/// Loads the signed-in user from the session; a deactivated user is signed out. (Sessions idle
/// for longer than `PILAR_SESSION_IDLE_SECONDS` have already expired in `DatabaseSessions`.) The
/// user usually came with the session's own lookup (`SessionLookup`); the user's region is taken
/// from memory while the region's generation is unchanged (`Application.regionCache`).
struct SessionUserMiddleware: AsyncMiddleware {
    static let userKey = "uid"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let raw = request.session.data[Self.userKey], let id = UUID(uuidString: raw) {
            let found: User?
            if let lookup = request.storage[SessionLookup.self], lookup.user.id == id {
                found = lookup.user
            } else {
                found = try await User.find(id, on: request.db)
            }
            if let user = found, user.active {
                try await Self.attachRegion(user, request)
                request.auth.login(user)
            } else {
                request.session.data[Self.userKey] = nil
            }
        }
        return try await next.respond(to: request)
    }

    /// Gives `user` its region, from memory while the region's generation is unchanged. Shared by
    /// every request: nothing may change it (a page that writes a region loads its own).
    static func attachRegion(_ user: User, _ request: Request) async throws {
        let regionID = user.$region.id
        let generation = try await Generation.current(request, region: regionID)
        if let region = request.application.regionCache.get(region: regionID, regionID, generation: generation) {
            user.$region.value = region
            return
        }
        guard let region = try await Region.find(regionID, on: request.db) else { return }
        request.application.regionCache.put(region: regionID, regionID, generation: generation, region)
        user.$region.value = region
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
