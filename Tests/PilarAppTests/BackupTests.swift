import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// `pilar backup` / `pilar restore` (`Backup`): the demo city with an uploaded file, backed up
/// and restored into an empty SQLite file — on the PostgreSQL run of the suite that is a move
/// from PostgreSQL to SQLite — with the same rows in every table and the same file bytes; a
/// damaged archive restores nothing. (`Tests/service/backup.py` does SQLite → PostgreSQL.)
@Suite("Backup and restore")
struct BackupTests: EvidenceSteps {
    /// Every table's rows as comparable text, sorted.
    static func contents(_ app: Application) async throws -> [String: [String]] {
        let sql = try #require(app.db as? any SQLDatabase)
        var out: [String: [String]] = [:]
        for table in try await Backup.tables(sql) {
            let columns = try await Backup.columns(sql, table: table).sorted { $0.name < $1.name }
            var rows: [String] = []
            try await Backup.eachRow(sql, table: table, columns: columns) { cells in
                rows.append(zip(cells, columns).map { "\($1.name)=\(Backup.comparable($0, $1.kind))" }.joined(separator: "|"))
            }
            out[table] = rows.sorted()
        }
        return out
    }

    static func withEmptySQLite(_ body: (Application) async throws -> Void) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pilar-restore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try configure(app, config: AppConfig.testing(root: root, dataDirectory: dir,
                                                         database: .sqliteFile((dir as NSString).appendingPathComponent("pilar.sqlite"))))
            try await Startup.migrateSchema(app)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func aRoundTripKeepsEveryRowAndEveryFileAndADamagedArchiveRestoresNothing() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "Laporan tonase")], filename: "tonase.pdf").status == .seeOther)
            let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pilar-\(UUID().uuidString).zip").path
            defer { try? FileManager.default.removeItem(atPath: archive) }
            let written = try await Backup.write(app: app, to: archive)
            #expect(written.files == 1 && written.tables > 30)
            #expect(!FileManager.default.fileExists(atPath: archive + ".partial"))
            let source = try await Self.contents(app)

            // One byte changed in the stored file's entry: refused, nothing restored.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
            let marker = try #require(bytes.range(of: Data("trailer".utf8)))
            bytes[marker.lowerBound] ^= 0x01
            let damaged = archive + ".damaged.zip"
            try bytes.write(to: URL(fileURLWithPath: damaged))
            defer { try? FileManager.default.removeItem(atPath: damaged) }
            try await Self.withEmptySQLite { target in
                let refused = await #expect(throws: Backup.Refused.self) { _ = try await Backup.restore(app: target, from: damaged) }
                #expect(refused?.description.contains("damaged") == true)
                #expect(try await User.query(on: target.db).count() == 0)
                #expect(try await Region.query(on: target.db).count() == 0)
                let files = (target.config.dataDirectory as NSString).appendingPathComponent("files")
                let kept = (FileManager.default.enumerator(atPath: files)?.allObjects as? [String] ?? [])
                    .filter { !$0.hasPrefix("tmp") && $0.count > 60 }
                #expect(kept.isEmpty, "no file stored: \(kept)")

                let restored = try await Backup.restore(app: target, from: archive)
                #expect(restored.rows == written.rows && restored.files == 1)
                let copy = try await Self.contents(target)
                #expect(Set(copy.keys) == Set(source.keys))
                for (table, rows) in source { #expect(copy[table] == rows, "table \(table)") }
                #expect(try await FileCheck.run(db: target.db, store: target.blobStore).problems.isEmpty)
                // A second restore finds the city there.
                let again = await #expect(throws: Backup.Refused.self) { _ = try await Backup.restore(app: target, from: archive) }
                #expect(again?.description.contains("not empty") == true)
            }
        }
    }
}
