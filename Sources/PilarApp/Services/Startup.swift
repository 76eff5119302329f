import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// What happens before the server takes requests: migrate, import the shipped instruments, and
/// on a first start create the admin and load the demo city. Returns lines to print.
enum Startup {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String
    }

    /// Checks the data folder, migrates and imports the shipped instruments.
    static func migrate(_ app: Application) async throws {
        let config = app.config
        try DataFolder.prepare(config.dataDirectory)
        do {
            // A SQLite file keeps its journal in write-ahead mode (the setting stays with the file):
            // pages are read while a write goes on, and a commit does not throw away every other
            // connection's page cache as the rollback journal does.
            if case .sqliteFile = config.database, let sql = app.db as? any SQLDatabase {
                try await sql.raw("PRAGMA journal_mode=WAL").run()
            }
            try await app.autoMigrate()
        } catch {
            throw Unreachable(description: describe(error, config: config))
        }
        try await InstrumentLibrary.importBuiltIn(directory: config.rootDirectory, on: app.db, logger: app.logger, now: app.now)
    }

    /// On the first start (no users yet): the demo city when it is wanted; and whenever the
    /// installation has no operator — its first start, one made before operators existed, or one
    /// seeded from the command line before it was served — the operator `admin` (`operator` when a
    /// region's user already has that name). Without a region the operator's first page asks for one.
    static func prepare(_ app: Application) async throws -> [String] {
        let config = app.config
        try await migrate(app)
        var lines: [String] = []
        if try await User.query(on: app.db).count() == 0, config.seedDemo {
            lines += try await DemoSeed.load(app).lines
        }
        guard try await User.query(on: app.db).filter(\.$role == .operator).count() == 0 else { return lines }
        var username = "admin"
        for candidate in ["admin", "operator", "pilar-operator"] {
            username = candidate
            if try await User.query(on: app.db).filter(\.$username == candidate).count() == 0 { break }
        }
        let password = config.adminPassword ?? Accounts.randomPassword()
        try await Accounts.create(app: app, on: app.db, region: nil, agency: nil, username: username,
                                  displayName: "Operator", role: .operator, password: password)
        if config.adminPassword == nil {
            lines.insert("Operator: \(username) / \(password)   (random, shown once: change it after signing in)", at: 0)
        } else {
            lines.insert("Operator: \(username) / (PILAR_ADMIN_PASSWORD)", at: 0)
        }
        let regions = try await Region.query(on: app.db).count()
        lines.insert(regions == 0
            ? "First start: created the operator '\(username)'. Sign in to create the first region and its admin."
            : "Created the installation's operator '\(username)' (creates regions and their admins).", at: 0)
        return lines
    }

    /// One line naming why the database could not be used.
    static func describe(_ error: any Error, config: AppConfig) -> String {
        let detail = String(reflecting: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        switch config.database {
        case let .postgres(url):
            return "DATABASE_URL: cannot use the PostgreSQL database at \(AppConfig.redacted(url)): \(detail)"
        case let .sqliteFile(path):
            return "cannot open the SQLite database \(path): \(detail)"
        case .sqliteMemory:
            return "cannot open the in-memory database: \(detail)"
        }
    }
}
