import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Regions: the six Smart City pillars from the start")
struct RegionPillarsTests {
    @Test func aFreshInstallationsRegionHasTheSixPillarsAndTheirElements() async throws {
        try await withPilar(demo: false) { app in
            // given an installation started without the demo
            var config = app.config
            config.seedDemo = false
            config.adminPassword = "sandi-admin-2022"
            app.config = config
            _ = try await Startup.prepare(app)
            // when its operator creates the first region
            let op = try await Browser.signedIn(app, ("admin", "sandi-admin-2022"))
            try await op.get("/operator/regions")
            let created = try await op.post("/operator/regions", InstallationTests.madiun)
            let password = try #require(InstallationTests.issuedPassword(created.body.string))
            // then its region has the six pillars, three elements each, in the instrument's order
            let region = try #require(try await Region.query(on: app.db).first())
            let pillars = try await Pillar.query(on: app.db).filter(\.$region.$id == region.requireID()).sort(\.$position).all()
            #expect(pillars.map(\.code) == SmartCityPillar.all.map(\.code))
            for pillar in pillars {
                #expect(try await PillarElement.query(on: app.db).filter(\.$pillar.$id == pillar.requireID()).count() == 3)
            }
            // and the pillar-owners page lists them for the region's admin
            let page = try await Browser.signedIn(app, ("kota-madiun.admin", password)).get("/admin/pillars").body.string
            for name in ["Smart Governance", "Smart Environment"] { #expect(page.contains(name)) }
        }
    }

    @Test func aRegionWithoutPillarsGetsThemAndOneWithPillarsKeepsItsOwn() async throws {
        try await withPilar { app in
            // given the demo city (pillars with owners) and a region that has none
            let kediri = try #require(try await Region.query(on: app.db).first())
            let lead = try #require(try await Pillar.query(on: app.db).filter(\.$code == "governance").first()).$leadAgency.id
            let bare = Region(code: "kota-madiun", name: "Kota Madiun", kind: "kota", province: "Jawa Timur",
                              ministryName: "Kementerian Komunikasi dan Digital", letterheadGovernment: "PEMERINTAH KOTA MADIUN",
                              letterheadAgency: "DINAS KOMUNIKASI DAN INFORMATIKA", letterheadAddress: "Madiun")
            try await bare.create(on: app.db)
            // when the migration runs
            try await M0024_RegionPillars().prepare(on: app.db)
            // then the bare region has all six, Kediri's stay as they were (owners kept, none doubled)
            #expect(try await Pillar.query(on: app.db).filter(\.$region.$id == bare.requireID()).count() == 6)
            #expect(try await Pillar.query(on: app.db).filter(\.$region.$id == kediri.requireID()).count() == 6)
            #expect(try await Pillar.query(on: app.db).filter(\.$region.$id == kediri.requireID()).filter(\.$code == "governance")
                .first()?.$leadAgency.id == lead)
            #expect(try await PillarElement.query(on: app.db).count() == 36)
        }
    }
}
