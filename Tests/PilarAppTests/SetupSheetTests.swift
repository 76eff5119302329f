import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up from spreadsheets: agencies and users")
struct SetupSheetTests {
    static func sheet(_ name: String, _ rows: [[String]]) throws -> [UInt8] {
        Array(try XLSX.write([XLSX.Sheet(name: name, rows: rows.map { $0.map { $0.isEmpty ? XLSX.Cell.empty : .text($0) } })]))
    }

    static func upload(_ b: Browser, _ path: String, _ bytes: [UInt8]) async throws -> TestingHTTPResponse {
        try await b.get("/admin/agencies")
        return try await PlansFixture.upload(b, path, filename: "lembar.xlsx", bytes: bytes)
    }

    static func slips(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<dt>Nama pengguna</dt><dd><code>([^<]+)</code></dd>\s*<dt>Kata sandi sekali pakai</dt><dd><code class="password">([^<]+)</code>"#)
        let ns = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)).map {
            (ns.substring(with: $0.range(at: 1)), ns.substring(with: $0.range(at: 2)))
        }
    }

    @Test func agenciesComeFromASheetAndGoBackIntoIt() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            // the downloaded sheet holds the header and the region's agencies
            let downloaded = try await admin.get("/admin/agencies/sheet.xlsx")
            #expect(downloaded.status == .ok)
            let cells = try XLSX.read(Data(downloaded.body.readableBytesView), sheet: SetupSheets.agencySheet)
            #expect(cells.first?.compactMap { $0 } == SetupSheets.agencyHeaders)
            #expect(cells.contains { $0.first == "DLH" })
            // when a sheet with two new agencies and a changed one is uploaded
            let bytes = try Self.sheet(SetupSheets.agencySheet, [
                SetupSheets.agencyHeaders,
                ["uptpasar", "UPT Pasar", "Kepala UPT Pasar"],
                ["", "", ""],
                ["KECKOTA", "Kecamatan Kota", ""],
                ["DLH", "Dinas Lingkungan Hidup (baru)", "Kepala DLH"],
            ])
            let saved = try await Self.upload(admin, "/admin/agencies/sheet.xlsx", bytes)
            // then they are stored in one go, each in the audit trail
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == "/admin/agencies?saved=imported&created=2&updated=1")
            #expect(try await Agency.query(on: app.db).filter(\.$code == "UPTPASAR").first()?.headTitle == "Kepala UPT Pasar")
            #expect(try await Agency.query(on: app.db).filter(\.$code == "DLH").first()?.name == "Dinas Lingkungan Hidup (baru)")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "agency").filter(\.$entityKey == "KECKOTA").count() == 1)
            #expect(try await admin.get("/admin/agencies?saved=imported&created=2&updated=1").body.string.contains("Lembar diterima: 2 baru, 1 diubah."))
        }
    }

    @Test func aBadAgencySheetNamesEachRowAndChangesNothing() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            let before = try await Agency.query(on: app.db).all().map { "\($0.code)|\($0.name)|\($0.headTitle)" }.sorted()
            let bytes = try Self.sheet(SetupSheets.agencySheet, [
                SetupSheets.agencyHeaders,
                ["DISHUB", "Dinas Perhubungan", ""],
                ["dinas sosial", "Dinas Sosial", ""],
                ["DISHUB", "Dinas Perhubungan lagi", ""],
                ["DISPORA", "", ""],
                ["DLH", "Dinas Lingkungan Hidup (baru)", ""],
            ])
            let refused = try await Self.upload(admin, "/admin/agencies/sheet.xlsx", bytes)
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            for (row, column) in [(3, "A"), (4, "A"), (5, "B")] {
                #expect(html.contains("<td class=\"num\">\(row)</td><td>\(column)</td>"), "row \(row) \(column)")
            }
            #expect(!html.contains("<td class=\"num\">2</td>") && !html.contains("<td class=\"num\">6</td>"))
            // a sheet with another header, or a file that is no spreadsheet, is refused as well
            let other = try Self.sheet(SetupSheets.agencySheet, [["Code", "Name"], ["DISHUB", "Dinas Perhubungan"]])
            #expect(try await Self.upload(admin, "/admin/agencies/sheet.xlsx", other).status == .unprocessableEntity)
            #expect(try await Self.upload(admin, "/admin/agencies/sheet.xlsx", Array("%PDF-1.4".utf8)).status == .unprocessableEntity)
            #expect(try await Agency.query(on: app.db).all().map { "\($0.code)|\($0.name)|\($0.headTitle)" }.sorted() == before)
            // and someone who does not set the region up may neither download nor upload
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.get("/admin/agencies/sheet.xlsx").status == .forbidden)
            #expect(try await PlansFixture.upload(dlh, "/admin/agencies/sheet.xlsx", filename: "x.xlsx", bytes: bytes).status == .forbidden)
        }
    }

    @Test func usersComeFromASheetWithOneSlipEachAndSignIn() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            let downloaded = try XLSX.read(Data(try await admin.get("/admin/users/sheet.xlsx").body.readableBytesView), sheet: SetupSheets.userSheet)
            #expect(downloaded.first?.compactMap { $0 } == SetupSheets.userHeaders)
            #expect(downloaded.contains { $0.first == "kediri.dlh" })
            let bytes = try Self.sheet(SetupSheets.userSheet, [
                SetupSheets.userHeaders,
                ["dishub.operator", "Operator Dishub", "agency", "DLH", "operator@dishub.example.go.id"],
                ["kediri.bappeda", "Staf Bappeda", "leader", "", ""],
                ["KOMINFO2", "Kominfo Kedua", "coordinator", "DISKOMINFO", ""],
                ["kediri.dlh", "DLH Kota Kediri (baru)", "agency", "DLH", "dlh@kedirikota.go.id"],
            ])
            let accepted = try await Self.upload(admin, "/admin/users/sheet.xlsx", bytes)
            #expect(accepted.status == .created)
            #expect(accepted.headers.first(name: .cacheControl) == "no-store")
            let slips = Self.slips(accepted.body.string)
            #expect(slips.map(\.0) == ["kediri.dishub.operator", "kediri.bappeda", "kediri.kominfo2"])
            // each new user signs in with its slip; the password is stored only as a hash
            for (username, password) in slips {
                let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
                #expect(user.passwordHash != password && user.passwordHash.hasPrefix("$2"))
                let b = Browser(app)
                try await b.signIn(username, password)
                #expect(try await b.get("/").status == .ok)
            }
            let dishub = try #require(try await User.query(on: app.db).filter(\.$username == "kediri.dishub.operator").first())
            #expect(dishub.email == "operator@dishub.example.go.id" && dishub.role == .agency)
            let dlh = try #require(try await User.query(on: app.db).filter(\.$username == "kediri.dlh").first())
            #expect(dlh.displayName == "DLH Kota Kediri (baru)" && dlh.email == "dlh@kedirikota.go.id")
            // the old password still works for an updated user
            try await Browser(app).signIn(Demo.dlh.0, Demo.dlh.1)
            let created = try await AuditEvent.query(on: app.db).filter(\.$entity == "user").filter(\.$action == "create").all()
            #expect(Set(created.map(\.entityKey)) == Set(slips.map(\.0)))
        }
    }

    @Test func aBadUserSheetNamesEachRowAndChangesNothing() async throws {
        try await withPilar { app in
            _ = try await DemoSeed.load(app, code: "kota-kembar", name: "Kota Kembar", userPrefix: "kembar")
            let coordinator = try await Browser.signedIn(app, Demo.coordinator)
            let before = try await User.query(on: app.db).all().map { "\($0.username)|\($0.displayName)|\($0.role)|\($0.email ?? "")" }.sorted()
            let bytes = try Self.sheet(SetupSheets.userSheet, [
                SetupSheets.userHeaders,
                ["baru.satu", "Baru Satu", "agency", "DLH", ""],          // good
                ["baru.dua", "Baru Dua", "agency", "NOWHERE", ""],        // D: unknown agency
                ["baru.tiga", "Baru Tiga", "operator", "", ""],           // C: not a region role
                ["baru.empat", "Baru Empat", "admin", "", ""],            // C: a coordinator gives no admin
                ["baru.lima", "Baru Lima", "leader", "", "bukan-email"],  // E: not an address
                ["baru.satu", "Baru Satu lagi", "leader", "", ""],        // A: twice in the sheet
                ["kediri.admin", "Admin", "leader", "", ""],              // C: an admin is not the coordinator's to change
                ["kediri.kominfo", "Saya", "leader", "", ""],             // C: not one's own role
                ["baru.enam", "", "agency", "", ""],                      // B: no name; D: agency needs an agency
            ])
            let refused = try await Self.upload(coordinator, "/admin/users/sheet.xlsx", bytes)
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            for (row, column) in [(3, "D"), (4, "C"), (5, "C"), (6, "E"), (7, "A"), (8, "C"), (9, "C"), (10, "B"), (10, "D")] {
                #expect(html.contains("<td class=\"num\">\(row)</td><td>\(column)</td>"), "row \(row) \(column)")
            }
            #expect(!html.contains("<td class=\"num\">2</td>"))
            #expect(!html.contains("class=\"password\""))
            #expect(try await User.query(on: app.db).all().map { "\($0.username)|\($0.displayName)|\($0.role)|\($0.email ?? "")" }.sorted() == before)
            // the sheet of the coordinator does not list the admins
            let mine = try XLSX.read(Data(try await coordinator.get("/admin/users/sheet.xlsx").body.readableBytesView), sheet: SetupSheets.userSheet)
            #expect(!mine.contains { $0.first == "kediri.admin" })
        }
    }
}
