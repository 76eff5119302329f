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
        let root = FolderBlobStore(dataDirectory: app.config.dataDirectory).root
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
            #expect(try await app.blobStore.exists(sha256: sha))
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
            // the indicator's API lists it with its file's details
            let api = try await dlh.get("/api/v1/cycles/2022/indicators/QW.ENV")
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
            // a form of very many fields, and a damaged one (no line break after a delimiter)
            r = try await upload(dlh, fields: (0..<300).map { ("f\($0)", "x") })
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("Salah satu isian terlalu panjang."))
            r = try await upload(dlh, fields: [("title\"\r\n\r\nx\r\n--pilarBoundary7MA4YWxkZZ", "x")])
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("isi formulir multipart rusak"))
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

    func revision(_ html: String) -> String {
        guard let r = html.range(of: #"name="revision" value="\d+""#, options: .regularExpression) else { return "-1" }
        return String(html[r].split(separator: "\"")[3])
    }

    @Test func oneDocumentBacksSeveralIndicators() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "Perwali Bank Sampah")]).status == .seeOther)
            let evidence = try #require(try await Evidence.query(on: app.db).first())
            let id = evidence.id!.uuidString
            // the coordinator attaches it to another of DLH's indicators, saying which level it supports there
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.get("/cycles/2022/indicators/IM.ENV").body.string.contains("Perwali Bank Sampah"))
            #expect(try await kominfo.post("/cycles/2022/indicators/IM.ENV/attach", ["evidence_id": id, "supports_level": "3"]).status == .seeOther)
            let page = try await kominfo.get("/cycles/2022/indicators/IM.ENV").body.string
            #expect(page.contains("mendukung level 3"))
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
            // another agency cannot attach DLH's evidence to its own indicator, nor reach DLH's indicators
            try await Assessment.query(on: app.db).filter(\.$indicatorCode == "QW.LIV").set(\.$status, to: "draft").update()
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            let own = try await dinkes.post("/cycles/2022/indicators/QW.LIV/attach", ["evidence_id": id])
            #expect(own.status == .unprocessableEntity)
            #expect(own.body.string.contains("tidak dapat dilampirkan"))
            #expect(try await dinkes.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .forbidden)
            #expect(try await dinkes.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .forbidden)
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
            // an unknown id and a bad level are refused
            #expect(try await kominfo.post("/cycles/2022/indicators/OC.ENV/attach", ["evidence_id": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await kominfo.post("/cycles/2022/indicators/OC.ENV/attach", ["evidence_id": id, "supports_level": "9"]).status == .unprocessableEntity)
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
            // DLH takes it off QW.ENV: the document stays, still backing IM.ENV
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .seeOther)
            #expect(try await EvidenceLink.query(on: app.db).count() == 1)
            #expect(try await Evidence.query(on: app.db).count() == 1)
            #expect(try await dlh.get("/evidence/\(id)/file").status == .ok)
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .notFound)
            // and may attach it again from its own library
            #expect(try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string.contains("<option value=\"\(id)\">"))
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .seeOther)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "evidence").count() == 4)
        }
    }

    @Test func newVersionKeepsTheOldOnes() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "SK Tim Smart City")], filename: "sk-2021.pdf").status == .seeOther)
            let evidence = try #require(try await Evidence.query(on: app.db).first())
            let id = evidence.id!.uuidString
            func send(_ browser: Browser, filename: String, bytes: [UInt8], fields: [(String, String)] = []) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
                return try await browser.send(.POST, "/cycles/2022/indicators/QW.ENV/evidence/\(id)/versions?_csrf=\(browser.csrf!)",
                                              headers: headers, body: Self.multipart(fields: fields, filename: filename, bytes: bytes))
            }
            // when: a new edition, with its new date
            let v2 = Array("%PDF-1.7\nSK 2022\n%%EOF\n".utf8)
            #expect(try await send(dlh, filename: "sk-2022.pdf", bytes: v2, fields: [("document_date", "2022-01-10")]).status == .seeOther)
            // then: the current file is the new one; the old one is still there
            #expect(try await EvidenceVersion.query(on: app.db).count() == 2)
            #expect(Array(try await dlh.get("/evidence/\(id)/file").body.readableBytesView) == v2)
            #expect(Array(try await dlh.get("/evidence/\(id)/versions/1/file").body.readableBytesView) == Self.pdf)
            #expect(try await Evidence.find(evidence.id, on: app.db)?.documentDate == "2022-01-10")
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(page.contains("sk-2022.pdf"))
            #expect(page.contains("Versi sebelumnya (1)"))
            // a mislabelled file and an empty one are refused and leave nothing
            #expect(try await send(dlh, filename: "sk-2023.pdf", bytes: Self.png).status == .unprocessableEntity)
            #expect(try await send(dlh, filename: "sk-2023.pdf", bytes: []).status == .badRequest)
            #expect(try await EvidenceVersion.query(on: app.db).count() == 2)
            #expect(blobFiles(app).filter { !$0.hasPrefix("tmp/") }.count == 2)
            #expect(blobFiles(app).filter { $0.hasPrefix("tmp/") }.isEmpty)
            // other agencies can neither replace nor read it
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            try await dinkes.get("/")
            #expect(try await send(dinkes, filename: "x.pdf", bytes: v2).status == .forbidden)
            #expect(try await dinkes.get("/evidence/\(id)/versions/1/file").status == .forbidden)
            #expect(try await dlh.get("/evidence/\(id)/versions/7/file").status == .notFound)
            #expect(try await EvidenceVersion.query(on: app.db).count() == 2)
        }
    }

    @Test func claimAboveWhatTheEvidenceSupportsWarnsFirst() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh, fields: [("title", "Data tonase"), ("supports_level", "2")]).status == .seeOther)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(page.contains("sampai level 2"))
            let warned = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "level": "4", "justification": "x",
                                                                              "revision": revision(page)])
            #expect(warned.status == .ok)
            #expect(warned.body.string.contains("hanya mendukung sampai level 2"))
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            func status() async throws -> String? {
                try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == "QW.ENV").first()?.status
            }
            #expect(try await status() == "returned")
            // a claim the evidence supports goes straight through
            let fresh = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "level": "2", "justification": "x",
                                                                          "revision": revision(fresh)]).status == .seeOther)
            #expect(try await status() == "submitted")
        }
    }

    @Test func refusedEvidenceKeepsWhatWasTyped() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let refused = try await upload(dlh, fields: [("title", "Laporan <triwulan> III"), ("document_date", "2022-13-01"),
                                                         ("note", "catatan saya"), ("supports_level", "3")])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("value=\"Laporan &lt;triwulan&gt; III\""))
            #expect(html.contains("value=\"2022-13-01\""))
            #expect(html.contains("value=\"catatan saya\""))
            #expect(html.contains("<option value=\"3\" selected>"))
            let link = try await dlh.post("/cycles/2022/indicators/QW.ENV/links", ["url": "ftp://x", "title": "Portal"])
            #expect(link.status == .unprocessableEntity)
            #expect(link.body.string.contains("value=\"ftp://x\""))
            #expect(try await Evidence.query(on: app.db).count() == 0)
        }
    }
}
