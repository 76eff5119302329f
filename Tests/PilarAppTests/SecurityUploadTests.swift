import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import PilarApp

/// The upload and shared-evidence findings of the attack on Pilar (issue: close the holes).
@Suite("Security: uploaded names, one file per upload, shared evidence")
struct SecurityUploadTests {
    /// A multipart body whose file part's Content-Disposition is written as given.
    static func body(disposition: String, bytes: [UInt8], extraFile: Bool = false) -> ByteBuffer {
        var buffer = ByteBuffer()
        let b = "pilarBoundary7MA4YWxk"
        buffer.writeString("--\(b)\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n\r\n")
        buffer.writeString("--\(b)\r\nContent-Disposition: \(disposition)\r\nContent-Type: application/pdf\r\n\r\n")
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n")
        if extraFile {
            buffer.writeString("--\(b)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
            buffer.writeString("<script>alert(2)</script>\r\n")
        }
        buffer.writeString("--\(b)--\r\n")
        return buffer
    }

    static func send(_ browser: Browser, _ path: String, _ body: ByteBuffer) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        return try await browser.send(.POST, path + "?_csrf=\(browser.csrf!)", headers: headers, body: body)
    }

    static let htmlInPDF = Array("%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n".utf8)

    @Test func aNulInTheNameCannotMakeAnHTMLFile() async throws {
        try await withPilar { app in
            // given an agency uploading `laporan.html\0.pdf` whose bytes start like a PDF and hold a script
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            let response = try await Self.send(dlh, "/cycles/2022/indicators/QW.ENV/evidence", Self.body(
                disposition: "form-data; name=\"file\"; filename=\"laporan.html\u{0}.pdf\"", bytes: Self.htmlInPDF))
            #expect(response.status == .seeOther)
            // then the stored name has no NUL, and the download is a PDF named .pdf
            let version = try #require(try await EvidenceVersion.query(on: app.db).first())
            #expect(!version.originalName.unicodeScalars.contains { $0.value < 0x20 })
            let evidence = try #require(try await Evidence.find(version.$evidence.id, on: app.db))
            let download = try await dlh.get("/evidence/\(try evidence.requireID())/file")
            #expect(download.headers.first(name: .contentType) == "application/pdf")
            let disposition = try #require(download.headers.first(name: .contentDisposition))
            #expect(disposition == "attachment; filename=\"laporan.html.pdf\"")
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")
            // and in the assessors' bundle the entry is a .pdf, linked as such from index.html
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let zip = try await kominfo.get("/cycles/2022/evidence.zip")
            let archive = try Archive(data: Data(buffer: zip.body), accessMode: .read)
            let names = archive.map(\.path)
            let entry = try #require(names.first { $0.contains("laporan") })
            #expect(entry.hasSuffix("-laporan.html.pdf"))
            #expect(!names.contains { $0.hasSuffix(".html") && $0 != "index.html" })
        }
    }

    @Test func namesAreParsedAndCleanedAndKeepTheirExtension() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // a ';' inside the quoted name, a right-to-left override, and a name of 200 characters
            let long = String(repeating: "laporan-bank-sampah-", count: 10) + ".pdf"
            for (n, name) in ["rekap;2022.pdf", "surat\u{202E}fdp.exe.pdf", long].enumerated() {
                let pdf = Array("%PDF-1.4\n% \(n)\n%%EOF\n".utf8)
                let r = try await Self.send(dlh, "/cycles/2022/indicators/QW.ENV/evidence",
                                            Self.body(disposition: "form-data; name=\"file\"; filename=\"\(name)\"", bytes: pdf))
                #expect(r.status == .seeOther, "\(name)")
            }
            let names = try await EvidenceVersion.query(on: app.db).all().map(\.originalName)
            #expect(names.contains("rekap;2022.pdf"))
            #expect(names.contains("suratfdp.exe.pdf"))
            #expect(names.allSatisfy { !$0.unicodeScalars.contains { $0.value == 0x202E } })
            // the bundle keeps every extension, whatever the length
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let archive = try Archive(data: Data(buffer: try await kominfo.get("/cycles/2022/evidence.zip").body), accessMode: .read)
            let files = archive.map(\.path).filter { $0.contains("/QW.ENV/") }
            #expect(files.count == 3)
            #expect(files.allSatisfy { $0.hasSuffix(".pdf") })
            #expect(files.contains { $0.hasSuffix("-rekap_2022.pdf") })
            #expect(files.allSatisfy { ($0.split(separator: "/").last?.count ?? 0) <= 124 })
        }
    }

    @Test func aSecondFilePartIsRefused() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            let r = try await Self.send(dlh, "/cycles/2022/indicators/QW.ENV/evidence", Self.body(
                disposition: "form-data; name=\"file\"; filename=\"a.pdf\"", bytes: EvidenceFixture.pdf, extraFile: true))
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("satu berkas per unggahan"))
            #expect(try await Evidence.query(on: app.db).count() == 0)
        }
    }

    @Test func aNewVersionOfSharedEvidenceStaysWithItsAgencyAndItsLocks() async throws {
        try await withPilar { app in
            // given Dinkes's QW.LIV open with DLH contributing, and Dinkes's document on it
            let living = try #require(try await Assessment.query(on: app.db).filter(\.$indicatorCode == "QW.LIV").first())
            living.status = .draft
            try await living.save(on: app.db)
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            try await AssessmentContributor(assessmentID: living.requireID(), agencyID: dlhAgency.requireID()).create(on: app.db)
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            #expect(try await AccessWorld.upload(dinkes, code: "QW.LIV", title: "SOP Home Care", name: "sop.pdf") != UUID())
            let evidence = try #require(try await Evidence.query(on: app.db).filter(\.$title == "SOP Home Care").first())
            let id = try evidence.requireID()
            let path = "/cycles/2022/indicators/QW.LIV/evidence/\(id)/versions"
            let v2 = Array("%PDF-1.7\nganti\n%%EOF\n".utf8)
            let form = Self.body(disposition: "form-data; name=\"file\"; filename=\"ganti.pdf\"", bytes: v2)
            // when DLH, a contributor, opens the indicator, it is offered no new-version form, and is told why
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let page = try await dlh.get("/cycles/2022/indicators/QW.LIV").body.string
            #expect(!page.contains("/evidence/\(id)/versions?"))
            #expect(page.contains("perangkat daerah pemiliknya"))
            #expect(try await dinkes.get("/cycles/2022/indicators/QW.LIV").body.string.contains("/evidence/\(id)/versions?"))
            // and sending one anyway through that indicator
            let refused = try await Self.send(dlh, path, form)
            // then it is refused and the file is Dinkes's still
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("perangkat daerah pemiliknya"))
            #expect(try await EvidenceVersion.query(on: app.db).count() == 1)
            // given the document also backs IM.LIV, which is verified
            let verified = try #require(try await Assessment.query(on: app.db).filter(\.$indicatorCode == "IM.LIV").first())
            try await EvidenceLink(evidenceID: id, assessmentID: verified.requireID()).create(on: app.db)
            // when Dinkes itself sends a version through the open QW.LIV, then it is locked
            try await dinkes.get("/cycles/2022/indicators/QW.LIV")
            let locked = try await Self.send(dinkes, path, form)
            #expect(locked.status == .conflict)
            #expect(locked.body.string.contains("sudah dikirim atau diverifikasi"))
            #expect(try await EvidenceVersion.query(on: app.db).count() == 1)
            // and the coordinator may, with the change in the trail of both indicators
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            try await kominfo.get("/cycles/2022/indicators/QW.LIV")
            #expect(try await Self.send(kominfo, path, form).status == .seeOther)
            #expect(try await EvidenceVersion.query(on: app.db).count() == 2)
            let trail = try await AuditEvent.query(on: app.db).filter(\.$field == "evidence_version").all().map(\.entityKey).sorted()
            #expect(trail == ["IM.LIV", "QW.LIV"])
        }
    }

    @Test func aProgrammesDocumentIsReadWithTheProgramme() async throws {
        try await withPilar { app in
            // given DLH's document on its own programme (Bank Sampah)
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            let programme = try #require(try await Programme.query(on: app.db).filter(\.$owner.$id == dlhAgency.requireID()).first())
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/programmes/\(try programme.requireID())")
            let sent = try await Self.send(dlh, "/programmes/\(try programme.requireID())/documents",
                                           EvidenceFixture.multipart(fields: [("title", "Laporan Bank Sampah")], filename: "bank.pdf",
                                                                   bytes: EvidenceFixture.pdf))
            #expect(sent.status == .seeOther)
            let document = try #require(try await ProgrammeDocument.query(on: app.db).first())
            let path = "/evidence/\(document.$evidence.id)/file"
            // then those who read the programme read its document; the admin, who does not, cannot
            for user in [Demo.dinkes, Demo.leader, Demo.assessor, Demo.coordinator] {
                #expect(try await Browser.signedIn(app, user).get(path).status == .ok, "\(user.0)")
            }
            #expect(try await Browser.signedIn(app, Demo.admin).get(path).status == .forbidden)
            try await OtherRegion.create(app)
            #expect(try await Browser.signedIn(app, OtherRegion.coordinator).get(path).status == .notFound)
        }
    }
}
