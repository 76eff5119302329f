import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: pillar owners")
struct PillarSetupTests {
    func agency(_ app: Application, _ code: String) async throws -> Agency {
        try #require(try await Agency.query(on: app.db).filter(\.$code == code).first())
    }

    /// The coordinator makes DINSOS the lead of "living", with DISHUB and DINKES supporting.
    func reassignLiving(_ app: Application, _ kominfo: Browser) async throws -> TestingHTTPResponse {
        let dinsos = try await agency(app, "DINSOS"), dishub = try await agency(app, "DISHUB"), dinkes = try await agency(app, "DINKES")
        return try await kominfo.post("/admin/pillars/living", pairs: [
            ("lead", dinsos.id!.uuidString), ("supports[]", dishub.id!.uuidString), ("supports[]", dinkes.id!.uuidString),
        ])
    }

    @Test func theCoordinatorSeesThePillars() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.get("/admin/pillars").status == .ok)
        }
    }

    @Test func aPillarsLeadAndSupportingAgenciesAreChanged() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dinsos = try await agency(app, "DINSOS"), dishub = try await agency(app, "DISHUB"), dinkes = try await agency(app, "DINKES")
            // when
            let ok = try await reassignLiving(app, kominfo)
            // then
            #expect(ok.status == .seeOther)
            let living = try #require(try await Pillar.query(on: app.db).filter(\.$code == "living").first())
            #expect(living.$leadAgency.id == dinsos.id)
            let supports = try await PillarSupport.query(on: app.db).filter(\.$pillar.$id == living.id!).all().map(\.$agency.id)
            #expect(Set(supports) == [dishub.id!, dinkes.id!])
        }
    }

    @Test func anUnknownAgencyIsRefusedAndNothingChanges() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dinsos = try await agency(app, "DINSOS"), dinkes = try await agency(app, "DINKES")
            #expect(try await reassignLiving(app, kominfo).status == .seeOther)
            let living = try #require(try await Pillar.query(on: app.db).filter(\.$code == "living").first())
            // when
            let bad = try await kominfo.post("/admin/pillars/living", pairs: [("lead", dinkes.id!.uuidString), ("supports[]", UUID().uuidString)])
            // then
            #expect(bad.status == .unprocessableEntity)
            #expect(try await Pillar.find(living.id, on: app.db)?.$leadAgency.id == dinsos.id)
        }
    }

    @Test func anUnknownPillarIsNotFound() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.post("/admin/pillars/nosuch", ["lead": ""]).status == .notFound)
        }
    }

    @Test func anAgencyLeadershipAndTheAssessorMayNotChangePillarOwners() async throws {
        try await withPilar { app in
            // given
            let before = try #require(try await Pillar.query(on: app.db).filter(\.$code == "living").first())
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                // when / then
                #expect(try await Browser.signedIn(app, user).post("/admin/pillars/living", ["lead": ""]).status == .forbidden)
            }
            #expect(try await Pillar.find(before.id, on: app.db)?.$leadAgency.id == before.$leadAgency.id)
        }
    }
}
