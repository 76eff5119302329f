import Fluent
import Foundation
import SQLKit
import Vapor

/// The counters that stand between a password guesser and an account, kept in the database and
/// changed only by single atomic statements, so 25 parallel guesses (or guesses spread over
/// several Pilar processes) are all counted.
///
/// - Per account: `users.failed_sign_ins` and `users.locked_until` (PILAR_MAX_FAILED_SIGNINS,
///   PILAR_LOCKOUT_SECONDS).
/// - Per client address: `signin_throttle` (PILAR_MAX_FAILED_SIGNINS_PER_ADDRESS in the same window),
///   whatever usernames it tries, known or not.
enum SignInGuard {
    static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return sql
    }

    /// Counts a wrong password against the account, unless it is locked already; at the limit the
    /// count starts again and the account is locked until `now + lockout`. Returns the lock's end
    /// when this failure set it.
    @discardableResult
    static func accountFailed(_ userID: UUID, now: Date, max: Int, lockout: TimeInterval, on db: any Database) async throws -> Date? {
        let until = now.addingTimeInterval(lockout)
        let rows = try await sql(db).raw("""
            UPDATE users SET
              failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= \(bind: max) THEN 0 ELSE failed_sign_ins + 1 END,
              locked_until = CASE WHEN failed_sign_ins + 1 >= \(bind: max) THEN \(bind: until) ELSE locked_until END
            WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING failed_sign_ins, locked_until
            """).all()
        guard let row = rows.first, try !row.decodeNil(column: "locked_until"),
              try row.decode(column: "failed_sign_ins", as: Int.self) == 0 else { return nil }
        return try row.decode(column: "locked_until", as: Date.self)
    }

    /// A right password: clears the count, but only when the account is not locked — checked in the
    /// same statement, so a guess that locked it a moment ago still wins. False: locked.
    static func accountSucceeded(_ userID: UUID, now: Date, on db: any Database) async throws -> Bool {
        let rows = try await sql(db).raw("""
            UPDATE users SET failed_sign_ins = 0, locked_until = NULL
            WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Whether the address has used up its failures in the current window.
    static func addressBlocked(_ key: String, now: Date, max: Int, window: TimeInterval, on db: any Database) async throws -> Bool {
        let rows = try await sql(db).raw("""
            SELECT failures FROM signin_throttle WHERE id = \(bind: key) AND window_start > \(bind: now.addingTimeInterval(-window))
            """).all()
        guard let row = rows.first else { return false }
        return try row.decode(column: "failures", as: Int.self) >= max
    }

    /// Counts a failed sign-in from the address (a new window when the last one is over).
    static func addressFailed(_ key: String, now: Date, window: TimeInterval, on db: any Database) async throws {
        let cutoff = now.addingTimeInterval(-window)
        try await sql(db).raw("""
            INSERT INTO signin_throttle (id, failures, window_start) VALUES (\(bind: key), 1, \(bind: now))
            ON CONFLICT (id) DO UPDATE SET
              failures = CASE WHEN signin_throttle.window_start <= \(bind: cutoff) THEN 1 ELSE signin_throttle.failures + 1 END,
              window_start = CASE WHEN signin_throttle.window_start <= \(bind: cutoff) THEN \(bind: now) ELSE signin_throttle.window_start END
            RETURNING failures
            """).run()
    }

    /// The client's address: the connection's peer, or — only when PILAR_TRUST_PROXY is set,
    /// behind a proxy that appends it — the last `X-Forwarded-For` entry.
    static func clientKey(_ req: Request) -> String {
        if req.application.config.trustProxy,
           let last = req.headers[.xForwardedFor].last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !last.isEmpty {
            return "ip:" + last
        }
        return "ip:" + (req.remoteAddress?.ipAddress ?? "unknown")
    }
}
