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
    /// The region a reviewer opened (`/regions`), checked against its grants on every request.
    static let openedRegionKey = "rv"

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
        // A reviewer's working region comes from its grants, read each time.
        guard user.role != .reviewer else { return false }
        guard let regionID = user.$homeRegion.id else {
            request.auth.login(user)
            return true
        }
        guard let known = request.storage[Generation.RequestGeneration.self], known.region == regionID,
              let region = request.application.regionCache.get(region: regionID, regionID, generation: known.n)
        else { return false }
        user.workingRegion = region
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
                if user.role == .reviewer { try await Self.openGrantedRegion(user, request) }
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
        guard let regionID = try? user.regionID else { return }
        let generation = try await Generation.current(request, region: regionID)
        if let region = request.application.regionCache.get(region: regionID, regionID, generation: generation) {
            user.workingRegion = region
            return
        }
        guard let region = try await Region.find(regionID, on: request.db) else { return }
        request.application.regionCache.put(region: regionID, regionID, generation: generation, region)
        user.workingRegion = region
    }

    /// The region the reviewer opened, if the operator still grants it (a revoked grant closes it).
    static func openGrantedRegion(_ user: User, _ request: Request) async throws {
        guard let raw = request.session.data[openedRegionKey], let regionID = UUID(uuidString: raw) else { return }
        let granted = try await ReviewerRegion.query(on: request.db).filter(\.$user.$id == user.requireID())
            .filter(\.$region.$id == regionID).count() > 0
        if granted {
            user.openedRegionID = regionID
        } else {
            request.session.data[openedRegionKey] = nil
        }
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
