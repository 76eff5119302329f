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

    /// On the first start (no users yet): the installation's operator `admin`, and the demo city
    /// when it is wanted. Without the demo there is no region: the operator's first page asks for it.
    static func prepare(_ app: Application) async throws -> [String] {
        let config = app.config
        try await migrate(app)
        var lines: [String] = []
        let firstStart = try await User.query(on: app.db).count() == 0
        guard firstStart else { return lines }

        if config.seedDemo {
            let demo = try await DemoSeed.load(app)
            lines += demo.lines
        }
        let password = config.adminPassword ?? Accounts.randomPassword()
        try await Accounts.create(app: app, on: app.db, region: nil, agency: nil, username: "admin",
                                  displayName: "Operator", role: .operator, password: password)
        if config.adminPassword == nil {
            lines.insert("Operator: admin / \(password)   (random, shown once: change it after signing in)", at: 0)
        } else {
            lines.insert("Operator: admin / (PILAR_ADMIN_PASSWORD)", at: 0)
        }
        let regions = try await Region.query(on: app.db).count()
        lines.insert(regions == 0
            ? "First start: created the operator 'admin'. Sign in to create the first region and its admin."
            : "First start: created the operator 'admin' (creates regions and their admins).", at: 0)
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
