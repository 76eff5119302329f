import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: the region's own details")
struct RegionSetupTests {
    static let good: [String: String] = [
        "name": "Kota Kediri", "kind": "kota", "province": "Jawa Timur", "time_zone": "Asia/Makassar",
        "ministry_name": "Kementerian Komunikasi dan Digital", "government": "PEMERINTAH KOTA KEDIRI",
        "agency": "DINAS KOMUNIKASI DAN INFORMATIKA", "address": "Jl. Basuki Rahmat No. 15, Kediri",
        "phone": "(0354) 682955", "email": "diskominfo@kedirikota.go.id", "website": "https://kedirikota.go.id",
        "signer_name": "Drs. Contoh Nama, M.Si.", "signer_nip": "19700101 199003 1 004",
    ]

    @Test func theAdminSetsTheDetailsAndTheReportAndPublicPageFollow() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            #expect(try await admin.get("/admin/region").body.string.contains("kota-kediri"))
            // when the admin saves the details with the public page off
            let saved = try await admin.post("/admin/region", Self.good)
            // then they are stored, each change in the trail
            #expect(saved.status == .seeOther)
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            #expect(region.timeZone == "Asia/Makassar" && region.signerNIP == "197001011990031004" && !region.publicPage)
            #expect(region.letterheadEmail == "diskominfo@kedirikota.go.id")
            let fields = Set(try await AuditEvent.query(on: app.db).filter(\.$entity == "region").all().map(\.field))
            #expect(fields.isSuperset(of: ["time_zone", "letterhead_phone", "signer_nip", "public_page"]))
            // the printed report carries the contact line and the signer, the public page is gone
            let report = try await Browser.signedIn(app, Demo.leader).get("/cycles/2022/report").body.string
            #expect(report.contains("(0354) 682955 · diskominfo@kedirikota.go.id · https://kedirikota.go.id"))
            #expect(report.contains("Drs. Contoh Nama, M.Si.") && report.contains("NIP. 197001011990031004"))
            #expect(try await Browser(app).get("/public/kota-kediri").status == .notFound)
            // and turned on again, it is back
            var on = Self.good
            on["public_page"] = "1"
            #expect(try await admin.post("/admin/region", on).status == .seeOther)
            #expect(try await Browser(app).get("/public/kota-kediri").status == .ok)
        }
    }

    @Test func badDetailsAreNamedAndNothingChanges() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            try await admin.get("/admin/region")
            let before = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            var bad = Self.good
            bad["name"] = "  "
            bad["kind"] = "desa"
            bad["time_zone"] = "Europe/Berlin"
            bad["email"] = "bukan-surel"
            bad["website"] = "kedirikota.go.id"
            bad["signer_nip"] = "12345"
            let refused = try await admin.post("/admin/region", bad)
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            for text in ["Pilih kota, kabupaten, atau provinsi", "Pilih WIB, WITA, atau WIT", "Alamat surel tidak valid",
                         "diawali http://", "NIP terdiri dari 18 angka"] { #expect(html.contains(text)) }
            #expect(html.contains("value=\"bukan-surel\""), "what was typed is kept")
            let after = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            #expect(after.name == before.name && after.timeZone == before.timeZone && after.letterheadEmail == nil)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "region").count() == 0)
        }
    }

    @Test func onlyTheRegionsManagersOpenOrChangeIt() async throws {
        try await withPilar { app in
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/admin/region").status == .forbidden)
                #expect(try await b.post("/admin/region", Self.good).status == .forbidden)
            }
            #expect(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first()?.timeZone == "Asia/Jakarta")
        }
    }
}
