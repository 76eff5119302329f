import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: the region's letterhead logo")
struct RegionLogoTests {
    static let png = [UInt8](Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!)
    static let svg = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#1b5e8a"/></svg>"##

    static func upload(_ b: Browser, _ bytes: [UInt8], name: String, csrf: Bool = true) async throws -> TestingHTTPResponse {
        try await b.get("/admin/region")
        return try await PlansFixture.upload(b, "/admin/region/logo", filename: name, bytes: bytes, csrf: csrf)
    }

    @Test func theAdminUploadsALogoTheReportPrintsIt() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            // when the admin uploads a PNG
            let saved = try await Self.upload(admin, Self.png, name: "logo.png")
            #expect(saved.status == .seeOther)
            let logo = try #require(try await RegionLogo.query(on: app.db).first())
            #expect(logo.contentType == "image/png" && logo.data == Data(Self.png))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$field == "logo").count() == 1)
            // then the region page shows it and the report prints it in the letterhead
            #expect(try await admin.get("/admin/region").body.string.contains("/region/logo?v="))
            let leader = try await Browser.signedIn(app, Demo.leader)
            let report = try await leader.get("/cycles/2022/report").body.string
            #expect(report.contains("<img class=\"logo\" src=\"/region/logo?v=\(logo.sha256.prefix(12))\""))
            let served = try await leader.get("/region/logo")
            #expect(served.status == .ok && served.headers.contentType?.subType == "png")
            #expect(served.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(Array(served.body.readableBytesView) == Self.png)
            // an SVG replaces it, served so it can run nothing
            #expect(try await Self.upload(admin, Array(Self.svg.utf8), name: "logo.svg").status == .seeOther)
            let svg = try await leader.get("/region/logo")
            #expect(svg.headers.contentType?.subType == "svg+xml")
            #expect(svg.headers.first(name: "Content-Security-Policy")?.contains("sandbox") == true)
            #expect(try await RegionLogo.query(on: app.db).count() == 1)
            // and removed, the report has none
            try await admin.get("/admin/region")
            #expect(try await admin.post("/admin/region/logo/remove", [:]).status == .seeOther)
            #expect(try await RegionLogo.query(on: app.db).count() == 0)
            #expect(try await leader.get("/region/logo").status == .notFound)
            #expect(!(try await leader.get("/cycles/2022/report").body.string.contains("class=\"logo\"")))
        }
    }

    @Test func aScriptedOrForeignOrFakeLogoIsRefusedAndNothingChanges() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            #expect(try await Self.upload(admin, Self.png, name: "logo.png").status == .seeOther)
            let before = try #require(try await RegionLogo.query(on: app.db).first()).sha256
            let t = app.catalog.strings(.id)
            let cases: [([UInt8], String, String)] = [
                (Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8), "logo.svg", "SVG ditolak: berisi skrip"),
                (Array(#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.utf8), "logo.svg", "SVG ditolak: berisi skrip"),
                (Array(#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>"#.utf8), "logo.svg", "SVG ditolak: merujuk"),
                (Array("%PDF-1.4\n%%EOF\n".utf8), "logo.png", Charts.escape(t["logo_not_image"])),
                ([UInt8](repeating: 0x41, count: LogoCheck.maxBytes + 10), "logo.png", t["logo_too_large"]),
            ]
            for (bytes, name, message) in cases {
                let refused = try await Self.upload(admin, bytes, name: name)
                #expect([413, 422].contains(refused.status.code), "\(name) \(message)")
                #expect(refused.body.string.contains(message), "\(message)")
            }
            #expect(try await RegionLogo.query(on: app.db).all().map(\.sha256) == [before])
            // without the token, or by someone who does not set the region up, nothing is taken
            #expect(try await Self.upload(admin, Array(Self.svg.utf8), name: "logo.svg", csrf: false).status == .forbidden)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await PlansFixture.upload(dlh, "/admin/region/logo", filename: "logo.svg", bytes: Array(Self.svg.utf8)).status == .forbidden)
            #expect(try await dlh.post("/admin/region/logo/remove", [:]).status == .forbidden)
            #expect(try await RegionLogo.query(on: app.db).all().map(\.sha256) == [before])
        }
    }
}
