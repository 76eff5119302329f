import Crypto
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The file store kept in the database (`PILAR_FILES=postgres`): whole files or none, stored
/// once per content, read back a chunk at a time, checked by `pilar files check`. The same tests
/// run on SQLite (the store is plain SQL) and on PostgreSQL in CI.
@Suite("Evidence files kept in the database")
struct DatabaseFileStoreTests: EvidenceSteps {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aFileOfSeveralChunksComesBackByteForByteAndIsStoredOnce() async throws {
        try await withPilar(demo: false, config: { $0.files = .postgres }) { app in
            let store = app.blobStore
            #expect(store is DatabaseBlobStore && store.localPath(sha256: "ab") == nil)
            // 3.5 chunks of varied bytes.
            let bytes = (0..<(DatabaseBlobStore.chunkSize * 7 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
            let sha = Self.sha256(bytes)
            #expect(try await store.exists(sha256: sha) == false)
            #expect(try await store.put(Data(bytes), sha256: sha))
            #expect(try await store.put(Data(bytes), sha256: sha) == false)
            #expect(try await store.exists(sha256: sha))
            let reader = try await store.open(sha256: sha)
            #expect(reader.size == Int64(bytes.count))
            var back: [UInt8] = [], chunks = 0
            while let chunk = try await reader.next() {
                #expect(chunk.readableBytes <= DatabaseBlobStore.chunkSize)
                back += chunk.readableBytesView
                chunks += 1
            }
            #expect(chunks == 4 && back == bytes)
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(DatabaseBlobStore.chunksTable).first()
            #expect(try rows?.decode(column: "n", as: Int.self) == 4)
            // Nothing is left in the staging folder, and nothing in the data folder's files.
            let tmp = (app.config.dataDirectory as NSString).appendingPathComponent("files/tmp")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).isEmpty)
            try await store.remove(sha256: sha)
            #expect(try await store.exists(sha256: sha) == false)
            let left = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(DatabaseBlobStore.chunksTable).first()
            #expect(try left?.decode(column: "n", as: Int.self) == 0)
            await #expect(throws: (any Error).self) { _ = try await store.open(sha256: sha) }
        }
    }

    @Test func anUploadIsDownloadedFromTheDatabaseAndAChangedChunkIsFoundDamaged() async throws {
        try await withPilar(config: { $0.files = .postgres }) { app in
            let (dlh, evidence) = try await uploaded(app, fields: [("title", "Laporan tonase")])
            let download = try await dlh.get("/evidence/\(try evidence.requireID())/file")
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == EvidenceFixture.pdf)
            #expect(download.headers.first(name: .contentLength) == "\(EvidenceFixture.pdf.count)")
            let folder = (app.config.dataDirectory as NSString).appendingPathComponent("files")
            let kept = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { !$0.hasPrefix("tmp") }
            #expect(kept.isEmpty, "no file in the data folder: \(kept)")

            #expect(try await FileCheck.run(db: app.db, store: app.blobStore).problems.isEmpty)
            let sha = Self.sha256(EvidenceFixture.pdf)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.update(DatabaseBlobStore.chunksTable).set("data", to: SQLBind(Data("%PDF-changed".utf8)))
                .where("sha256", .equal, sha).run()
            let report = try await FileCheck.run(db: app.db, store: app.blobStore)
            guard case .damaged(sha, _, _, _, _)? = report.problems.first else {
                Issue.record("the changed file is damaged: \(report.problems)"); return
            }
            try await sql.delete(from: DatabaseBlobStore.filesTable).where("sha256", .equal, sha).run()
            guard case .missing(sha, _)? = try await FileCheck.run(db: app.db, store: app.blobStore).problems.first else {
                Issue.record("the deleted file is missing"); return
            }
            #expect(try await dlh.get("/evidence/\(try evidence.requireID())/file").status == .notFound)
        }
    }

    @Test func theDatabaseStoreNeedsPostgreSQL() throws {
        let refused = #expect(throws: AppConfig.Invalid.self) {
            _ = try AppConfig.fromEnvironment(["PILAR_FILES": "postgres"], workingDirectory: "/tmp")
        }
        #expect(refused?.variable == "PILAR_FILES")
        let unknown = #expect(throws: AppConfig.Invalid.self) {
            _ = try AppConfig.fromEnvironment(["PILAR_FILES": "s3"], workingDirectory: "/tmp")
        }
        #expect(unknown?.description.contains("folder or postgres") == true)
        let chosen = try AppConfig.fromEnvironment(["PILAR_FILES": "postgres", "DATABASE_URL": "postgres://p:p@127.0.0.1:5432/p"],
                                                   workingDirectory: "/tmp")
        #expect(chosen.files == .postgres)
        #expect(try AppConfig.fromEnvironment([:], workingDirectory: "/tmp").files == .folder)
    }
}
