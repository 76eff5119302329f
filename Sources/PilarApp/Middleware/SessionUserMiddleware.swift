import Fluent
import Foundation
import Vapor

/// Loads the signed-in user from the session; a deactivated user is signed out. (Sessions idle
/// for longer than `PILAR_SESSION_IDLE_SECONDS` have already expired in `DatabaseSessions`.) The
/// user usually came with the session's own lookup (`SessionLookup`); the user's region is taken
/// from memory while the region's generation is unchanged (`Application.regionCache`).
/// Without a database read (the usual case) it does its work on the event loop, without a task.
struct SessionUserMiddleware: Middleware {
    static let userKey = "uid"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if Self.attachFromMemory(request) { return next.respond(to: request) }
        let promise = request.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await Self.attach(request) }
        return promise.futureResult.flatMap { next.respond(to: request) }
    }

    /// Signs the user in from the session lookup and the region cache, when both have what is
    /// needed (or there is no session user): true when nothing is left to read.
    static func attachFromMemory(_ request: Request) -> Bool {
        guard request.hasSession, let raw = request.session.data[userKey], let id = UUID(uuidString: raw) else { return true }
        guard let lookup = request.storage[SessionLookup.self], lookup.user.id == id else { return false }
        let user = lookup.user
        guard user.active else {
            request.session.data[userKey] = nil
            return true
        }
        let regionID = user.$region.id
        guard let known = request.storage[Generation.RequestGeneration.self], known.region == regionID,
              let region = request.application.regionCache.get(region: regionID, regionID, generation: known.n)
        else { return false }
        user.$region.value = region
        request.auth.login(user)
        return true
    }

    static func attach(_ request: Request) async throws {
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
