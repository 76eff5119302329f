import Crypto
import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: uploading, listing and downloading a document")
struct EvidenceUploadTests: EvidenceSteps {
    static let tonaseFields = [("title", "Laporan tonase"), ("document_date", "2022-08-31"),
                               ("expires_on", "2022-09-30"), ("note", "ditandatangani kepala dinas")]

    /// DLH's "Laporan tonase" on QW.ENV: dated 31 August 2022, expiring 30 September 2022.
    func tonase(_ app: Application) async throws -> (dlh: Browser, evidence: Evidence) {
        let dlh = try await Browser.signedIn(app, Demo.dlh)
        try await dlh.get("/cycles/2022/indicators/QW.ENV")
        #expect(try await upload(dlh, fields: Self.tonaseFields).status == .seeOther)
        return (dlh, try #require(try await Evidence.query(on: app.db).first()))
    }

    @Test func anUploadIsStoredWithItsHashSizeNameAndType() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when
            let response = try await upload(dlh, fields: Self.tonaseFields)
            // then
            #expect(response.status == .seeOther)
            let version = try await EvidenceVersion.query(on: app.db).first()!
            let sha = SHA256.hash(data: Data(Self.pdf)).map { String(format: "%02x", $0) }.joined()
            #expect(version.sha256 == sha)
            #expect(version.size == Int64(Self.pdf.count))
            #expect(version.originalName == "tonase.pdf")
            #expect(version.contentType == "application/pdf")
            #expect(try await app.blobStore.exists(sha256: sha))
        }
    }

    @Test func theIndicatorPageListsItWithItsDateAndWarnsItExpiresBeforeTheEvaluation() async throws {
        try await withPilar { app in
            // given
            let (dlh, _) = try await tonase(app)
            // when
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // then
            #expect(page.contains("Laporan tonase"))
            #expect(page.contains("31 Agustus 2022"))
            #expect(page.contains("kedaluwarsa sebelum tanggal evaluasi")) // 30 Sept < 5 Oct 2022
        }
    }

    @Test func theFileDownloadsAsTheSameBytesAttachedUnderItsOriginalName() async throws {
        try await withPilar { app in
            // given
            let (dlh, evidence) = try await tonase(app)
            // when
            let file = try await dlh.get("/evidence/\(evidence.id!.uuidString)/file")
            // then
            #expect(file.status == .ok)
            #expect(Array(file.body.readableBytesView) == Self.pdf)
            #expect(file.headers.first(name: .contentDisposition)?.contains("filename=\"tonase.pdf\"") == true)
            #expect(file.headers.contentType == .pdf)
        }
    }

    @Test func theIndicatorAPIListsItWithItsFileDetails() async throws {
        try await withPilar { app in
            // given
            let (dlh, evidence) = try await tonase(app)
            let sha = SHA256.hash(data: Data(Self.pdf)).map { String(format: "%02x", $0) }.joined()
            // when
            let api = try await dlh.get("/api/v1/cycles/2022/indicators/QW.ENV")
            // then
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [String: Any])
            let listed = try #require((json["evidence"] as? [[String: Any]])?.first)
            #expect(listed["id"] as? String == evidence.id!.uuidString)
            #expect(listed["title"] as? String == "Laporan tonase")
            #expect(listed["kind"] as? String == "file")
            #expect(listed["original_name"] as? String == "tonase.pdf")
            #expect(listed["content_type"] as? String == "application/pdf")
            #expect(listed["size"] as? Int == Self.pdf.count)
            #expect(listed["sha256"] as? String == sha)
            #expect(listed["document_date"] as? String == "2022-08-31")
            #expect(listed["expires_on"] as? String == "2022-09-30")
            #expect(listed["expires_before_evaluation"] as? Bool == true)
            #expect(listed["download"] as? String == "/api/v1/evidence/\(evidence.id!.uuidString)/file")
            #expect(listed.keys.contains("supports_level"))
        }
    }

    @Test func theOwnerTheCoordinatorAndLeadershipMayDownloadIt() async throws {
        try await withPilar { app in
            // given
            let (dlh, evidence) = try await tonase(app)
            // when / then: the API route answers the owner as the page's does
            #expect(try await dlh.get("/api/v1/evidence/\(evidence.id!.uuidString)/file").status == .ok)
            for user in [Demo.coordinator, Demo.leader] {
                #expect(try await Browser.signedIn(app, user).get("/evidence/\(evidence.id!.uuidString)/file").status == .ok)
            }
        }
    }

    @Test func anotherAgencyAndSomeoneSignedOutMayNotDownloadIt() async throws {
        try await withPilar { app in
            // given
            let (_, evidence) = try await tonase(app)
            // when / then
            #expect(try await Browser.signedIn(app, Demo.dinkes).get("/evidence/\(evidence.id!.uuidString)/file").status == .forbidden)
            #expect(try await Browser(app).get("/api/v1/evidence/\(evidence.id!.uuidString)/file").status == .unauthorized)
        }
    }

    @Test func anUnknownDocumentIsNotFound() async throws {
        try await withPilar { app in
            // given
            let (dlh, _) = try await tonase(app)
            // when / then
            #expect(try await dlh.get("/evidence/\(UUID().uuidString)/file").status == .notFound)
        }
    }

    @Test func theUploadIsInTheAuditTrail() async throws {
        try await withPilar { app in
            // given / when
            _ = try await tonase(app)
            // then
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "evidence").count() == 1)
        }
    }

    @Test func anAgencyCannotChangeTheEvidenceOfItsSubmittedIndicator() async throws {
        try await withPilar { app in
            // given: IM.ENV is submitted
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await upload(dlh, code: "IM.ENV", fields: [("title", "Dua")], filename: "salinan.pdf").status == .conflict)
        }
    }

    @Test func theSameContentUploadedTwiceIsStoredOnce() async throws {
        try await withPilar { app in
            // given: DLH's document on QW.ENV
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "Satu")]).status == .seeOther)
            // when: the coordinator uploads the same bytes to the submitted IM.ENV
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await upload(kominfo, code: "IM.ENV", fields: [("title", "Dua")], filename: "salinan.pdf").status == .seeOther)
            // then: two documents, one file
            #expect(try await Evidence.query(on: app.db).count() == 2)
            #expect(blobFiles(app).filter { !$0.hasPrefix("tmp/") }.count == 1)
        }
    }

    /// Nothing of a refused upload is kept: no document, no file.
    func expectNothingKept(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await Evidence.query(on: app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(blobFiles(app).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func anotherAgencyCannotUploadToTheIndicator() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await upload(dinkes).status == .forbidden)
            try await expectNothingKept(app)
        }
    }

    @Test func leadershipReadsButDoesNotUpload() async throws {
        try await withPilar { app in
            // given / when / then
            #expect(try await upload(try await Browser.signedIn(app, Demo.leader)).status == .forbidden)
            try await expectNothingKept(app)
        }
    }

    @Test func anUploadWithoutTheCSRFTokenIsRefused() async throws {
        try await withPilar { app in
            // given / when / then
            #expect(try await upload(try await Browser.signedIn(app, Demo.dlh), csrf: false).status == .forbidden)
            try await expectNothingKept(app)
        }
    }
}
