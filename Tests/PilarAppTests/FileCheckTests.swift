import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// `pilar files check`'s rule (`FileCheck`): every stored file read back and compared with its SHA-256.
@Suite("Stored files checked against their SHA-256")
struct FileCheckTests: EvidenceSteps {
    @Test func aDeletedAndAChangedFileAreNamedTheRestPass() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "Laporan tonase")], filename: "tonase.pdf").status == .seeOther)
            #expect(try await upload(dlh, fields: [("title", "Foto TPS")], filename: "tps.png", contentType: "image/png",
                                     bytes: Self.png).status == .seeOther)
            #expect(try await upload(dlh, fields: [("title", "Laporan kedua")], filename: "kedua.pdf",
                                     bytes: Self.pdf + Array("% kedua\n".utf8)).status == .seeOther)
            let clean = try await FileCheck.run(db: app.db, store: app.blobStore)
            #expect(clean.problems.isEmpty)
            #expect(clean.files >= 3 && clean.versions >= 3)

            let versions = try await EvidenceVersion.query(on: app.db).with(\.$evidence).all()
            let photo = try #require(versions.first { $0.originalName == "tps.png" })
            let second = try #require(versions.first { $0.originalName == "kedua.pdf" })
            try FileManager.default.removeItem(atPath: try #require(app.blobStore.localPath(sha256: photo.sha256)))
            let changed = try #require(app.blobStore.localPath(sha256: second.sha256))
            var bytes = try Data(contentsOf: URL(fileURLWithPath: changed))
            bytes[0] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: changed))

            let report = try await FileCheck.run(db: app.db, store: app.blobStore)
            #expect(report.files == clean.files)
            #expect(report.problems.count == 2)
            let missing = try #require(report.problems.first { $0.sha256 == photo.sha256 })
            guard case let .missing(_, refs) = missing else { Issue.record("the deleted file is missing: \(missing)"); return }
            #expect(refs.map(\.name) == ["tps.png"] && refs.first?.region == DemoSeed.regionCode && refs.first?.evidence == "Foto TPS")
            let damaged = try #require(report.problems.first { $0.sha256 == second.sha256 })
            guard case let .damaged(_, expected, actual, size, _) = damaged else { Issue.record("the changed file is damaged: \(damaged)"); return }
            #expect(expected == second.size && size == second.size && actual != second.sha256)
            #expect(damaged.line.hasPrefix("damaged  \(second.sha256)") && damaged.line.contains("\"Laporan kedua\" v1 (kedua.pdf)"))
        }
    }
}
