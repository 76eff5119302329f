import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: a new version of a document keeps the old ones")
struct EvidenceVersionTests: EvidenceSteps {
    /// The 2022 edition of the SK, a PDF of its own.
    let v2 = Array("%PDF-1.7\nSK 2022\n%%EOF\n".utf8)

    /// DLH's "SK Tim Smart City" (sk-2021.pdf) on QW.ENV.
    func skTimSmartCity(_ app: Application) async throws -> (dlh: Browser, evidence: Evidence, id: String) {
        let (dlh, evidence) = try await uploaded(app, fields: [("title", "SK Tim Smart City")], filename: "sk-2021.pdf")
        return (dlh, evidence, evidence.id!.uuidString)
    }

    /// … with its 2022 edition (sk-2022.pdf, dated 10 January 2022) uploaded as a new version.
    func withSecondEdition(_ app: Application) async throws -> (dlh: Browser, evidence: Evidence, id: String) {
        let given = try await skTimSmartCity(app)
        #expect(try await send(given.dlh, filename: "sk-2022.pdf", bytes: v2, fields: [("document_date", "2022-01-10")]).status == .seeOther)
        return given
    }

    /// Posts a new version of the one document there is, as `browser`'s user.
    func send(_ browser: Browser, filename: String, bytes: [UInt8], fields: [(String, String)] = []) async throws -> TestingHTTPResponse {
        let id = try #require(try await Evidence.query(on: browser.app.db).first()?.id).uuidString
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        return try await browser.send(.POST, "/cycles/2022/indicators/QW.ENV/evidence/\(id)/versions?_csrf=\(browser.csrf!)",
                                      headers: headers, body: Self.multipart(fields: fields, filename: filename, bytes: bytes))
    }

    /// Still the two versions, and only their two files (nothing left in the temporary folder).
    func expectTwoVersionsOnly(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await EvidenceVersion.query(on: app.db).count() == 2, sourceLocation: sourceLocation)
        #expect(blobFiles(app).filter { !$0.hasPrefix("tmp/") }.count == 2, sourceLocation: sourceLocation)
        #expect(blobFiles(app).filter { $0.hasPrefix("tmp/") }.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func aNewEditionBecomesTheCurrentFileWithItsDate() async throws {
        try await withPilar { app in
            // given
            let (dlh, evidence, id) = try await skTimSmartCity(app)
            // when: a new edition, with its new date
            #expect(try await send(dlh, filename: "sk-2022.pdf", bytes: v2, fields: [("document_date", "2022-01-10")]).status == .seeOther)
            // then
            #expect(try await EvidenceVersion.query(on: app.db).count() == 2)
            #expect(Array(try await dlh.get("/evidence/\(id)/file").body.readableBytesView) == v2)
            #expect(try await Evidence.find(evidence.id, on: app.db)?.documentDate == "2022-01-10")
        }
    }

    @Test func theOldEditionStaysDownloadable() async throws {
        try await withPilar { app in
            // given
            let (dlh, _, id) = try await withSecondEdition(app)
            // when / then
            #expect(Array(try await dlh.get("/evidence/\(id)/versions/1/file").body.readableBytesView) == Self.pdf)
        }
    }

    @Test func thePageShowsTheNewFileAndCountsThePreviousVersions() async throws {
        try await withPilar { app in
            // given
            let (dlh, _, _) = try await withSecondEdition(app)
            // when
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // then
            #expect(page.contains("sk-2022.pdf"))
            #expect(page.contains("Versi sebelumnya (1)"))
        }
    }

    @Test func aMislabelledNewVersionIsRefusedAndLeavesNothing() async throws {
        try await withPilar { app in
            // given
            let (dlh, _, _) = try await withSecondEdition(app)
            // when / then
            #expect(try await send(dlh, filename: "sk-2023.pdf", bytes: Self.png).status == .unprocessableEntity)
            try await expectTwoVersionsOnly(app)
        }
    }

    @Test func anEmptyNewVersionIsRefusedAndLeavesNothing() async throws {
        try await withPilar { app in
            // given
            let (dlh, _, _) = try await withSecondEdition(app)
            // when / then
            #expect(try await send(dlh, filename: "sk-2023.pdf", bytes: []).status == .badRequest)
            try await expectTwoVersionsOnly(app)
        }
    }

    @Test func anotherAgencyCannotAddAVersion() async throws {
        try await withPilar { app in
            // given
            _ = try await withSecondEdition(app)
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            try await dinkes.get("/")
            // when / then
            #expect(try await send(dinkes, filename: "x.pdf", bytes: v2).status == .forbidden)
            #expect(try await EvidenceVersion.query(on: app.db).count() == 2)
        }
    }

    @Test func anotherAgencyCannotReadAnOldVersion() async throws {
        try await withPilar { app in
            // given
            let (_, _, id) = try await withSecondEdition(app)
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await dinkes.get("/evidence/\(id)/versions/1/file").status == .forbidden)
        }
    }

    @Test func anUnknownVersionIsNotFound() async throws {
        try await withPilar { app in
            // given
            let (dlh, _, id) = try await withSecondEdition(app)
            // when / then
            #expect(try await dlh.get("/evidence/\(id)/versions/7/file").status == .notFound)
        }
    }
}
