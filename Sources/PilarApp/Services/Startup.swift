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

    static func prepare(_ app: Application) async throws -> [String] {
        let config = app.config
        try await migrate(app)
        var lines: [String] = []
        let firstStart = try await User.query(on: app.db).count() == 0
        guard firstStart else { return lines }

        var region: Region
        if config.seedDemo {
            let demo = try await DemoSeed.load(app)
            lines += demo.lines
            region = demo.region
        } else if let existing = try await Region.query(on: app.db).sort(\.$code).first() {
            region = existing
        } else {
            region = Region(code: "wilayah", name: "Wilayah baru", kind: "kota", province: "-",
                            ministryName: "Kementerian Komunikasi dan Digital", letterheadGovernment: "PEMERINTAH",
                            letterheadAgency: "DINAS KOMUNIKASI DAN INFORMATIKA", letterheadAddress: "-")
            try await region.create(on: app.db)
            try await RegionPillars.ensure(region: region.requireID(), on: app.db)
        }
        let password = config.adminPassword ?? Accounts.randomPassword()
        try await Accounts.create(app: app, on: app.db, region: region, agency: nil, username: "admin",
                                  displayName: "Administrator", role: .admin, password: password)
        if config.adminPassword == nil {
            lines.insert("Admin: admin / \(password)   (random, shown once: change it after signing in)", at: 0)
        } else {
            lines.insert("Admin: admin / (PILAR_ADMIN_PASSWORD)", at: 0)
        }
        lines.insert("First start: created the admin of region '\(region.code)'.", at: 0)
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
