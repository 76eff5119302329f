import Fluent
import Foundation
import SQLKit
import Vapor

/// Sessions in the database, with an idle timeout enforced on the server.
///
/// - A session idle for longer than `PILAR_SESSION_IDLE_SECONDS` is gone: reading it yields nothing.
/// - A session is stored only when it holds something (a signed-in user, a chosen language): a
///   visitor's page views, or a request with a made-up session cookie, store nothing.
/// - Idle sessions are pruned whenever a new one is created.
/// - A request that changes nothing in its session writes only when its last-seen time is more
///   than a minute old, so reading pages does not cost a database write each time.
/// - Reading a session is one statement: the session, its signed-in user (kept in its own column
///   beside the JSON), the user's region's generation and the user's unread count, so a page pays
///   for one lookup, not three (`SessionLookup`, used by `SessionUserMiddleware`, `Generation` and
///   `InboxCountMiddleware`).
struct DatabaseSessions: SessionDriver {
    let idleSeconds: Double
    static let touchInterval: Double = 60

    private struct Loaded: StorageKey {
        typealias Value = (key: String, data: SessionData, lastSeen: Date)
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let key = Self.randomKey()
            // Nothing to keep: the cookie gets an id, the database no row.
            guard !data.snapshot.isEmpty else { return SessionID(string: key) }
            let now = request.now
            try await StoredSession.query(on: request.db)
                .filter(\.$lastSeen < now.addingTimeInterval(-idleSeconds)).delete()
            let stored = StoredSession(key: key, data: try Self.encode(data), lastSeen: now)
            stored.userID = Self.userID(data)
            try await stored.create(on: request.db)
            return SessionID(string: key)
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            if let sql = request.db as? any SQLDatabase {
                return try await read(sessionID.string, sql: sql, for: request)
            }
            guard let stored = try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string).first(),
                  stored.lastSeen > request.now.addingTimeInterval(-idleSeconds),
                  let data = try? JSONDecoder().decode(SessionData.self, from: Data(stored.data.utf8))
            else { return nil }
            request.storage[Loaded.self] = (stored.key, data, stored.lastSeen)
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let now = request.now
            if let loaded = request.storage[Loaded.self], loaded.key == sessionID.string, loaded.data == data,
               now.timeIntervalSince(loaded.lastSeen) < Self.touchInterval {
                return sessionID
            }
            try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string)
                .set(\.$data, to: try Self.encode(data)).set(\.$userID, to: Self.userID(data)).set(\.$lastSeen, to: now).update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string).delete()
        }
    }

    /// The one statement of a page's session lookup (see the type's notes).
    private func read(_ key: String, sql: any SQLDatabase, for request: Request) async throws -> SessionData? {
        let oldest = request.now.addingTimeInterval(-idleSeconds)
        guard let row = try await sql.raw("""
            SELECT s.data AS pilar_s_data, s.last_seen AS pilar_s_last_seen, g.n AS pilar_s_generation,
              (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS pilar_s_unread,
              u.*
            FROM pilar_sessions s
            LEFT JOIN users u ON u.id = s.user_id
            LEFT JOIN region_generations g ON g.region_id = u.region_id
            WHERE s.key = \(bind: key)
            """).first() else { return nil }
        let lastSeen = try row.decode(column: "pilar_s_last_seen", as: Date.self)
        guard lastSeen > oldest,
              let data = try? JSONDecoder().decode(SessionData.self, from: Data(try row.decode(column: "pilar_s_data", as: String.self).utf8))
        else { return nil }
        request.storage[Loaded.self] = (key, data, lastSeen)
        if try !row.decodeNil(column: "id") {
            let user = try row.decode(fluentModel: User.self)
            let generation = try row.decode(column: "pilar_s_generation", as: Int64?.self) ?? 0
            request.storage[SessionLookup.self] = SessionLookup(
                user: user, unread: try row.decode(column: "pilar_s_unread", as: Int.self), generation: generation)
            if let region = user.$homeRegion.id {
                request.storage[Generation.RequestGeneration.self] = (region, generation)
            }
        }
        return data
    }

    /// The signed-in user a session's data names, for its column.
    static func userID(_ data: SessionData) -> UUID? {
        data[SessionUserMiddleware.userKey].flatMap(UUID.init(uuidString:))
    }

    static func encode(_ data: SessionData) throws -> String {
        String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }

    static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// What the session lookup found besides the session: its user as stored now, the user's unread
/// inbox count and the user's region's generation, all read in the same statement.
struct SessionLookup: StorageKey {
    typealias Value = SessionLookup
    let user: User
    let unread: Int
    let generation: Int64
}
