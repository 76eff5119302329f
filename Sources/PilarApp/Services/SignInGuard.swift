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
///   whatever usernames it tries, known or not; counted before the password is checked, and taken
///   back by a right one.
enum SignInGuard {
    /// The id counted for a refusal that names no account: the nil UUID, which no account has, so
    /// every refusal runs the same statement.
    static let noAccount = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

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

    /// Counts an attempt from the address, before its password is checked (a new window when the
    /// last one is over; rows of finished windows are pruned). Returns the attempts in this window.
    static func addressAttempt(_ key: String, now: Date, window: TimeInterval, on db: any Database) async throws
        -> (count: Int, windowStart: Date)
    {
        let cutoff = now.addingTimeInterval(-window)
        let sql = try sql(db)
        try await sql.raw("DELETE FROM signin_throttle WHERE window_start <= \(bind: cutoff) AND id <> \(bind: key)").run()
        let rows = try await sql.raw("""
            INSERT INTO signin_throttle (id, failures, window_start) VALUES (\(bind: key), 1, \(bind: now))
            ON CONFLICT (id) DO UPDATE SET
              failures = CASE WHEN signin_throttle.window_start <= \(bind: cutoff) THEN 1 ELSE signin_throttle.failures + 1 END,
              window_start = CASE WHEN signin_throttle.window_start <= \(bind: cutoff) THEN \(bind: now) ELSE signin_throttle.window_start END
            RETURNING failures, window_start
            """).all()
        guard let row = rows.first else { return (1, now) }
        return (try row.decode(column: "failures", as: Int.self), try row.decode(column: "window_start", as: Date.self))
    }

    /// A right password: the attempt it counted is taken back, so people who sign in are not counted.
    static func addressSucceeded(_ key: String, on db: any Database) async throws {
        try await sql(db).raw("UPDATE signin_throttle SET failures = failures - 1 WHERE id = \(bind: key) AND failures > 0").run()
    }

    /// The client's address as a counting key: the connection's peer — or, when the peer is one of
    /// `PILAR_TRUSTED_PROXIES`, the last `X-Forwarded-For` entry (the one that proxy appended).
    /// An IPv6 address counts by its /64, the block one client usually holds.
    static func clientKey(_ req: Request) -> String {
        var address = req.remoteAddress?.ipAddress ?? "unknown"
        if req.application.config.trustedProxies.contains(address),
           let last = req.headers[.xForwardedFor].last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !last.isEmpty {
            address = last
        }
        return "ip:" + network(address)
    }

    /// An IPv4 address as it is; an IPv6 address cut to its first four groups (its /64).
    static func network(_ address: String) -> String {
        guard address.contains(":") else { return address }
        var groups: [String] = []
        let halves = address.components(separatedBy: "::")
        let head = halves[0].split(separator: ":", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let tail = halves.count > 1 ? halves[1].split(separator: ":").map(String.init) : []
        groups = head + Array(repeating: "0", count: max(0, 8 - head.count - tail.count)) + tail
        return groups.prefix(4).map { $0.lowercased() }.joined(separator: ":") + "::/64"
    }
}
