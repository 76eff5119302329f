import Fluent
import FluentSQLiteDriver
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
        try await migrateSchema(app)
        try await InstrumentLibrary.importBuiltIn(directory: app.config.rootDirectory, on: app.db, logger: app.logger, now: app.now)
    }

    /// Checks the data folder and migrates, nothing more (a restore brings its own instruments).
    static func migrateSchema(_ app: Application) async throws {
        let config = app.config
        try DataFolder.prepare(config.dataDirectory)
        do {
            // A SQLite file keeps its journal in write-ahead mode (the setting stays with the file):
            // pages are read while a write goes on.
            if case .sqliteFile = config.database, let sql = app.db as? any SQLDatabase {
                try await sql.raw("PRAGMA journal_mode=WAL").run()
            }
            try await app.autoMigrate()
        } catch {
            throw Unreachable(description: describe(error, config: config))
        }
    }

    /// Per-connection SQLite settings, made on each event loop's connection (SQLiteKit keeps one
    /// per loop, for the server's life, and has no hook for a new connection's settings). A commit
    /// through one connection empties every other connection's page cache, even in WAL mode, and
    /// the default cache (2 MB) is smaller than what one dashboard rebuild reads at scale 10 (the
    /// links and evidence of 1,000 answers): so after each write the next page re-read its pages
    /// with a system call each (its evidence and overdue statements took 13 and 8 ms in the server
    /// against 3 and 2 ms in the `sqlite3` shell). Mapping the file lets those reads come straight
    /// from the OS's page cache, and a larger page cache keeps a rebuild's pages between writes. A
    /// connection made later (after an error) runs with SQLite's defaults: slower, not wrong.
    static func tuneSQLiteConnections(_ app: Application) async throws {
        guard case .sqliteFile = app.config.database else { return }
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: loop) as? any SQLiteDatabase else { continue }
            try await db.withConnection { conn in
                conn.query("PRAGMA mmap_size = 268435456").flatMap { _ in conn.query("PRAGMA cache_size = -16384") }.map { _ in () }
            }.get()
        }
    }

    /// On the first start (no users yet): the demo city when it is wanted; and whenever the
    /// installation has no operator — its first start, one made before operators existed, or one
    /// seeded from the command line before it was served — the operator `admin` (`operator` when a
    /// region's user already has that name). Without a region the operator's first page asks for one.
    static func prepare(_ app: Application) async throws -> [String] {
        let config = app.config
        try await migrate(app)
        try await tuneSQLiteConnections(app)
        var lines: [String] = []
        let abandoned = app.blobStore.removeAbandonedStaging()
        if abandoned > 0 { lines.append("Removed \(abandoned) unfinished upload(s) left by a stopped process.") }
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
