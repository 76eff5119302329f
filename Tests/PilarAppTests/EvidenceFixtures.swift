import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The files the evidence tests send, and the multipart body they go in. Other suites (plans,
/// dashboard, security, the access matrix) upload with them too.
struct EvidenceFixture: EvidenceSteps {
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
}

/// The steps the evidence suites take: upload to an indicator, read the file store, read a page's
/// revision. A suite that conforms calls them as its own (`upload(dlh)`, `Self.pdf`).
protocol EvidenceSteps {}

extension EvidenceSteps {
    static var pdf: [UInt8] { EvidenceFixture.pdf }
    static var png: [UInt8] { EvidenceFixture.png }

    static func multipart(fields: [(String, String)], filename: String?, contentType: String = "application/pdf",
                          bytes: [UInt8], close: Bool = true) -> ByteBuffer {
        EvidenceFixture.multipart(fields: fields, filename: filename, contentType: contentType, bytes: bytes, close: close)
    }

    /// Posts a file (by default "Laporan tonase", tonase.pdf) to a 2022 indicator's evidence, with
    /// the browser's CSRF token unless `csrf` is false.
    func upload(_ browser: Browser, code: String = "QW.ENV", fields: [(String, String)] = [("title", "Laporan tonase")],
                filename: String? = "tonase.pdf", contentType: String = "application/pdf", bytes: [UInt8] = EvidenceFixture.pdf,
                close: Bool = true, csrf: Bool = true) async throws -> TestingHTTPResponse {
        if browser.csrf == nil { try await browser.get("/") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        let path = "/cycles/2022/indicators/\(code)/evidence" + (csrf ? "?_csrf=\(browser.csrf!)" : "")
        return try await browser.send(.POST, path, headers: headers,
                                      body: Self.multipart(fields: fields, filename: filename, contentType: contentType,
                                                           bytes: bytes, close: close))
    }

    /// Every file in the store, temporary ones (`tmp/…`) included.
    func blobFiles(_ app: Application) -> [String] {
        let root = FolderBlobStore(dataDirectory: app.config.dataDirectory).root
        let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return all.filter { path in
            var dir: ObjCBool = false
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(path), isDirectory: &dir)
            return !dir.boolValue
        }
    }

    /// The revision printed in an indicator page's form ("-1" when there is none).
    func revision(_ html: String) -> String {
        guard let r = html.range(of: #"name="revision" value="\d+""#, options: .regularExpression) else { return "-1" }
        return String(html[r].split(separator: "\"")[3])
    }

    /// DLH uploads one document to QW.ENV and checks it was taken; returns DLH's browser and the document.
    func uploaded(_ app: Application, fields: [(String, String)], filename: String = "tonase.pdf",
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> (dlh: Browser, evidence: Evidence) {
        let dlh = try await Browser.signedIn(app, Demo.dlh)
        #expect(try await upload(dlh, fields: fields, filename: filename).status == .seeOther, sourceLocation: sourceLocation)
        let evidence = try #require(try await Evidence.query(on: app.db).first(), sourceLocation: sourceLocation)
        return (dlh, evidence)
    }
}
