import Fluent
import Foundation
import Vapor

/// Sessions in the database, with an idle timeout enforced on the server.
///
/// - A session idle for longer than `PILAR_SESSION_IDLE_SECONDS` is gone: reading it yields nothing.
/// - A session is stored only when it holds something (a signed-in user, a chosen language): a
///   visitor's page views, or a request with a made-up session cookie, store nothing.
/// - Idle sessions are pruned whenever a new one is created.
/// - A request that changes nothing in its session writes only when its last-seen time is more
///   than a minute old, so reading pages does not cost a database write each time.
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
            try await StoredSession(key: key, data: try Self.encode(data), lastSeen: now).create(on: request.db)
            return SessionID(string: key)
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
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
                .set(\.$data, to: try Self.encode(data)).set(\.$lastSeen, to: now).update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string).delete()
        }
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
