import Crypto
import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: uploads, links, downloads and refusals")
struct EvidenceTests {
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    /// A multipart body: the text fields first, then the file (as browsers send a form in order).
    static func multipart(fields: [(String, String)], filename: String?, contentType: String = "application/pdf",
                          bytes: [UInt8], boundary: String = "pilarBoundary7MA4YWxk", close: Bool = true) -> ByteBuffer {
        var buffer = ByteBuffer()
        for (name, value) in fields {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let filename {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n")
            buffer.writeBytes(bytes)
            if close { buffer.writeString("\r\n") }
        }
        if close { buffer.writeString("--\(boundary)--\r\n") }
        return buffer
    }

    func upload(_ browser: Browser, code: String = "QW.ENV", fields: [(String, String)] = [("title", "Laporan tonase")],
                filename: String? = "tonase.pdf", contentType: String = "application/pdf", bytes: [UInt8] = pdf,
                close: Bool = true, csrf: Bool = true) async throws -> TestingHTTPResponse {
        if browser.csrf == nil { try await browser.get("/") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        let path = "/cycles/2022/indicators/\(code)/evidence" + (csrf ? "?_csrf=\(browser.csrf!)" : "")
        return try await browser.send(.POST, path, headers: headers,
                                      body: Self.multipart(fields: fields, filename: filename, contentType: contentType,
                                                           bytes: bytes, close: close))
    }

    func blobFiles(_ app: Application) -> [String] {
        let root = BlobStore(dataDirectory: app.config.dataDirectory).root
        let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return all.filter { path in
            var dir: ObjCBool = false
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(path), isDirectory: &dir)
            return !dir.boolValue
        }
    }

    @Test func uploadListDownload() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when
            let response = try await upload(dlh, fields: [("title", "Laporan tonase"), ("document_date", "2022-08-31"),
                                                          ("expires_on", "2022-09-30"), ("note", "ditandatangani kepala dinas")])
            // then
            #expect(response.status == .seeOther)
            let version = try await EvidenceVersion.query(on: app.db).first()!
            let sha = SHA256.hash(data: Data(Self.pdf)).map { String(format: "%02x", $0) }.joined()
            #expect(version.sha256 == sha)
            #expect(version.size == Int64(Self.pdf.count))
            #expect(version.originalName == "tonase.pdf")
            #expect(version.contentType == "application/pdf")
            #expect(FileManager.default.fileExists(atPath: BlobStore(dataDirectory: app.config.dataDirectory).path(for: sha)))
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(page.contains("Laporan tonase"))
            #expect(page.contains("31 Agustus 2022"))
            #expect(page.contains("kedaluwarsa sebelum tanggal evaluasi")) // 30 Sept < 5 Oct 2022
            // download: same bytes, as an attachment with the original name
            let evidence = try await Evidence.query(on: app.db).first()!
            let file = try await dlh.get("/evidence/\(evidence.id!.uuidString)/file")
            #expect(file.status == .ok)
            #expect(Array(file.body.readableBytesView) == Self.pdf)
            #expect(file.headers.first(name: .contentDisposition)?.contains("filename=\"tonase.pdf\"") == true)
            #expect(file.headers.contentType == .pdf)
            // the API route answers the same; the coordinator and leadership may read it too
            #expect(try await dlh.get("/api/v1/evidence/\(evidence.id!.uuidString)/file").status == .ok)
            for user in [Demo.coordinator, Demo.leader] {
                #expect(try await Browser.signedIn(app, user).get("/evidence/\(evidence.id!.uuidString)/file").status == .ok)
            }
            // another agency may not, nor may anyone signed out
            #expect(try await Browser.signedIn(app, Demo.dinkes).get("/evidence/\(evidence.id!.uuidString)/file").status == .forbidden)
            #expect(try await Browser(app).get("/api/v1/evidence/\(evidence.id!.uuidString)/file").status == .unauthorized)
            #expect(try await dlh.get("/evidence/\(UUID().uuidString)/file").status == .notFound)
            // the upload is in the audit trail
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "evidence").count() == 1)
        }
    }

    @Test func sameContentIsStoredOnce() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "Satu")]).status == .seeOther)
            // IM.ENV is submitted: its agency can no longer change its evidence, the coordinator can
            #expect(try await upload(dlh, code: "IM.ENV", fields: [("title", "Dua")], filename: "salinan.pdf").status == .conflict)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await upload(kominfo, code: "IM.ENV", fields: [("title", "Dua")], filename: "salinan.pdf").status == .seeOther)
            #expect(try await Evidence.query(on: app.db).count() == 2)
            #expect(blobFiles(app).filter { !$0.hasPrefix("tmp/") }.count == 1)
        }
    }

    @Test func refusedUploadsLeaveNothingBehind() async throws {
        try await withPilar { app in
            app.config.maxUploadBytes = 1024
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // too large
            var r = try await upload(dlh, bytes: Self.pdf + Array(repeating: 0x20, count: 2048))
            #expect(r.status == .payloadTooLarge)
            #expect(r.body.string.contains("lebih besar dari batas 0 MB") || r.body.string.contains("lebih besar dari batas"))
            // a PNG calling itself a PDF
            r = try await upload(dlh, filename: "laporan.pdf", bytes: Self.png)
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Isi berkas tidak sesuai dengan jenisnya (.pdf)"))
            // a type that is not accepted
            r = try await upload(dlh, filename: "skrip.exe", contentType: "application/octet-stream", bytes: [0x4D, 0x5A, 0x90, 0])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Jenis berkas ini tidak diterima"))
            // cut off in the middle of the file
            r = try await upload(dlh, bytes: Array(Self.pdf.prefix(20)), close: false)
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("Unggahan terputus"))
            // empty
            r = try await upload(dlh, bytes: [])
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("Pilih berkas yang tidak kosong."))
            // bad dates
            r = try await upload(dlh, fields: [("title", "x"), ("document_date", "2022-02-30")])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Tanggal harus berbentuk"))
            // then: no rows, no files (the temporary folder is empty)
            #expect(try await Evidence.query(on: app.db).count() == 0)
            #expect(try await EvidenceVersion.query(on: app.db).count() == 0)
            #expect(blobFiles(app).isEmpty)
        }
    }

    @Test func uploadsNeedPermissionAndToken() async throws {
        try await withPilar { app in
            // another agency's indicator
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            #expect(try await upload(dinkes).status == .forbidden)
            // leadership reads but does not upload
            #expect(try await upload(try await Browser.signedIn(app, Demo.leader)).status == .forbidden)
            // no CSRF token
            #expect(try await upload(try await Browser.signedIn(app, Demo.dlh), csrf: false).status == .forbidden)
            #expect(try await Evidence.query(on: app.db).count() == 0)
            #expect(blobFiles(app).isEmpty)
        }
    }

    @Test func linkEvidence() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            var r = try await dlh.post("/cycles/2022/indicators/QW.ENV/links", ["url": "javascript:alert(1)", "title": "x"])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("diawali http:// atau https://"))
            r = try await dlh.post("/cycles/2022/indicators/QW.ENV/links", ["url": "https://banksampah.kedirikota.go.id/data", "title": "Dasbor bank sampah"])
            #expect(r.status == .seeOther)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(page.contains("href=\"https://banksampah.kedirikota.go.id/data\" rel=\"noopener noreferrer nofollow\""))
        }
    }

    @Test func claimWithoutEvidenceWarnsFirst() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            var page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            let revision = String(page[page.range(of: #"name="revision" value="\d+""#, options: .regularExpression)!]
                .split(separator: "\"")[3])
            // when submitting a level with no evidence
            let warned = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "level": "4", "justification": "Tonase terlampir.", "revision": revision,
            ])
            // then nothing is sent yet, the form keeps the text and asks to confirm
            #expect(warned.status == .ok)
            #expect(warned.body.string.contains("tanpa bukti dukung apa pun"))
            #expect(warned.body.string.contains("Tonase terlampir."))
            #expect(try await Assessment.query(on: app.db).filter(\.$indicatorCode == "QW.ENV").first()!.status == "returned")
            // with evidence attached, submitting goes straight through
            #expect(try await upload(dlh).status == .seeOther)
            page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            let sent = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "level": "4", "justification": "Tonase terlampir.", "revision": revision,
            ])
            #expect(sent.status == .seeOther)
        }
    }
}
