import Foundation
import Vapor

/// A bcrypt hash of a random password, made once, to spend the same time on unknown usernames.
enum DummyHash {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: [Int: String] = [:]

    static func value(for app: Application) throws -> String {
        let cost = app.config.bcryptCost
        lock.lock()
        defer { lock.unlock() }
        if let hash = cached[cost] { return hash }
        let hash = try Bcrypt.hash(Accounts.randomPassword(), cost: cost)
        cached[cost] = hash
        return hash
    }
}
