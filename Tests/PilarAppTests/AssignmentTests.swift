import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: assignments by pillar, group and selection")
struct AssignmentTests {
    /// The lead agency of an indicator of 2022.
    func lead(_ app: Application, _ code: String) async throws -> UUID? {
        let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
        return try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == code).first()?.$leadAgency.id
    }

    func agency(_ app: Application, _ code: String) async throws -> Agency {
        try #require(try await Agency.query(on: app.db).filter(\.$code == code).first())
    }

    /// The coordinator gives the whole group QW to BAPPEDA.
    func groupQWToBappeda(_ app: Application, _ kominfo: Browser) async throws -> Agency {
        let bappeda = try await agency(app, "BAPPEDA")
        #expect(try await kominfo.post("/cycles/2022/assignments", pairs: [("scope", "group"), ("group", "QW"), ("lead", bappeda.id!.uuidString)]).status == .seeOther)
        return bappeda
    }

    @Test func theCoordinatorSeesTheAssignmentsByPillar() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.get("/cycles/2022/assignments").status == .ok)
            #expect(try await kominfo.get("/cycles/2022/assignments?pillar=living").body.string.contains("QW.LIV"))
        }
    }

    @Test func aWholePillarIsAssignedAndItsAnswersAreNotTouched() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dinsos = try await agency(app, "DINSOS")
            let bappeda = try await agency(app, "BAPPEDA")
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            // when
            let byPillar = try await kominfo.post("/cycles/2022/assignments", pairs: [
                ("scope", "pillar"), ("pillar", "living"), ("lead", dinsos.id!.uuidString),
                ("replace_contributors", "1"), ("contributors[]", bappeda.id!.uuidString), ("target", "4"),
            ])
            // then
            #expect(byPillar.status == .seeOther)
            let living = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode ~~ "LIV").all()
            #expect(living.count == 3)
            #expect(living.allSatisfy { $0.$leadAgency.id == dinsos.id && $0.targetLevel == 4 })
            let contributors = try await AssessmentContributor.query(on: app.db).filter(\.$assessment.$id ~~ living.map { $0.id! }).all()
            #expect(contributors.count == 3 && contributors.allSatisfy { $0.$agency.id == bappeda.id })
            #expect(living.first { $0.indicatorCode == "QW.LIV" }?.selfLevel == 5)
        }
    }

    @Test func oneSelectedIndicatorIsLeftWithoutALead() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let saved = try await kominfo.post("/cycles/2022/assignments", pairs: [("scope", "selected"), ("codes[]", "OC.ENV"), ("lead", "none")])
            // then
            #expect(saved.status == .seeOther)
            #expect(try await lead(app, "OC.ENV") == nil)
        }
    }

    @Test func aWholeGroupIsAssigned() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let bappeda = try await groupQWToBappeda(app, kominfo)
            // then
            #expect(try await lead(app, "QW.ENV") == bappeda.id)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "assign").filter(\.$entityKey == "QW.ENV").count() == 1)
        }
    }

    @Test func badInputChangesNothing() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dinsos = try await agency(app, "DINSOS")
            let bappeda = try await groupQWToBappeda(app, kominfo)
            for pairs: [(String, String)] in [
                [("scope", "selected"), ("lead", dinsos.id!.uuidString)],
                [("scope", "selected"), ("codes[]", "NOPE"), ("lead", dinsos.id!.uuidString)],
                [("scope", "group"), ("group", "ZZ"), ("lead", dinsos.id!.uuidString)],
                [("scope", "selected"), ("codes[]", "QW.ENV"), ("lead", UUID().uuidString)],
                [("scope", "selected"), ("codes[]", "QW.ENV"), ("target", "9")],
                [("scope", "selected"), ("codes[]", "QW.ENV")],
            ] {
                // when / then
                #expect(try await kominfo.post("/cycles/2022/assignments", pairs: pairs).status == .unprocessableEntity, "\(pairs)")
            }
            #expect(try await lead(app, "QW.ENV") == bappeda.id)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "assign").filter(\.$entityKey == "QW.ENV").count() == 1)
        }
    }

    @Test func theOldLeadNoLongerSeesTheIndicator() async throws {
        try await withPilar { app in
            // given
            _ = try await groupQWToBappeda(app, try await Browser.signedIn(app, Demo.coordinator))
            // when / then
            #expect(try await Browser.signedIn(app, Demo.dlh).get("/cycles/2022/indicators/QW.ENV").status == .forbidden)
        }
    }

    @Test func onlyTheCoordinatorAssigns() async throws {
        try await withPilar { app in
            // given
            let bappeda = try await groupQWToBappeda(app, try await Browser.signedIn(app, Demo.coordinator))
            for user in [Demo.admin, Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/cycles/2022/assignments").status == .forbidden)
                #expect(try await b.post("/cycles/2022/assignments", pairs: [("scope", "group"), ("group", "QW"), ("lead", "none")]).status == .forbidden)
            }
            #expect(try await lead(app, "QW.ENV") == bappeda.id)
        }
    }
}
