import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Programmes: who reads them, status, progress, milestones, new programmes")
struct ProgrammeTests {
    @Test func everyoneWhoMayReadSeesTheQuickWinsWithCharts() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            for user in [Demo.coordinator, Demo.dlh, Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when
                let list = try await b.get("/programmes")
                let page = try await b.get("/programmes/\(bank.id!.uuidString)")
                // then
                #expect(list.status == .ok, "\(user.0)")
                #expect(list.body.string.contains("Bank Sampah"))
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("class=\"kpi-chart\""))
                #expect(html.contains("<polyline points=\""))
                #expect(html.contains("Bank sampah aktif"))
                #expect(html.contains("Rp 650.000.000"))
            }
        }
    }

    @Test func theAdminMayNotReadProgrammes() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            // when
            let list = try await admin.get("/programmes")
            // then
            #expect(list.status == .forbidden)
        }
    }

    @Test func aVisitorIsSentToSignIn() async throws {
        try await withPilar { app in
            // when
            let list = try await Browser(app).get("/programmes")
            // then
            #expect(list.status == .seeOther)
        }
    }

    @Test func theOwnerUpdatesStatusAndProgress() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let saved = try await dlh.post("/programmes/\(bank.id!.uuidString)", ["status": "running", "progress": "72"])
            // then
            #expect(saved.status == .seeOther)
            #expect(try await Programme.find(bank.id, on: app.db)?.progress == 72)
        }
    }

    @Test func aProgressAboveAHundredIsRefused() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.post("/programmes/\(id)", ["status": "running", "progress": "72"]).status == .seeOther)
            // when
            let refused = try await dlh.post("/programmes/\(id)", ["status": "running", "progress": "140"])
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(try await Programme.find(bank.id, on: app.db)?.progress == 72)
        }
    }

    @Test func theOwnerTicksOffAMilestone() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let milestone = try #require(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$done == false).first())
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let ticked = try await dlh.post("/programmes/\(bank.id!.uuidString)/milestones/\(milestone.id!.uuidString)", ["done": "1"])
            // then
            #expect(ticked.status == .seeOther)
            #expect(try await Milestone.find(milestone.id, on: app.db)?.done == true)
        }
    }

    @Test func anotherAgencyLeadershipAndTheAssessorCannotChangeStatusOrProgress() async throws {
        try await withPilar { app in
            // given: the owner's progress
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.post("/programmes/\(id)", ["status": "running", "progress": "72"]).status == .seeOther)
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.post("/programmes/\(id)", ["status": "done", "progress": "100"]).status == .forbidden)
            }
            // then
            #expect(try await Programme.find(bank.id, on: app.db)?.progress == 72)
        }
    }

    @Test func anotherAgencyLeadershipAndTheAssessorCannotTickOffAMilestone() async throws {
        try await withPilar { app in
            // given: a milestone the owner ticked off
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            let milestone = try #require(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$done == false).first())
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.post("/programmes/\(id)/milestones/\(milestone.id!.uuidString)", ["done": "1"]).status == .seeOther)
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.post("/programmes/\(id)/milestones/\(milestone.id!.uuidString)", ["done": "0"]).status == .forbidden)
            }
            // then
            #expect(try await Milestone.find(milestone.id, on: app.db)?.done == true)
        }
    }

    @Test func theCoordinatorAddsAProgramme() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await PlansFixture.agency(app, "DINKES")
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let created = try await kominfo.post("/programmes", ["title": "Posyandu digital", "pillar": "living", "horizon": "medium",
                                                                 "owner": dinkes.id!.uuidString, "start_year": "2023", "end_year": "2025"])
            // then
            #expect(created.status == .seeOther)
            #expect(try await Programme.query(on: app.db).count() == 7)
        }
    }

    @Test func aProgrammeWithBadFieldsIsRefused() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let refused = try await kominfo.post("/programmes", ["title": "", "pillar": "nowhere", "horizon": "soon", "owner": UUID().uuidString,
                                                                 "start_year": "2025", "end_year": "2023"])
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(try await Programme.query(on: app.db).count() == 6)
        }
    }

    @Test func anAgencyCannotAddAProgramme() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await PlansFixture.agency(app, "DINKES")
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let refused = try await dlh.post("/programmes", ["title": "x", "pillar": "living", "horizon": "medium", "owner": dinkes.id!.uuidString,
                                                             "start_year": "2023", "end_year": "2025"])
            // then
            #expect(refused.status == .forbidden)
            #expect(try await Programme.query(on: app.db).count() == 6)
        }
    }

    @Test func anotherRegionReachesNoProgrammeByItsId() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            try await OtherRegion.create(app)
            let other = try await Browser.signedIn(app, OtherRegion.coordinator)
            // when / then
            #expect(try await other.get("/programmes/\(id)").status == .notFound)
            #expect(try await other.post("/programmes/\(id)", ["status": "done", "progress": "100"]).status == .notFound)
            #expect(try await Programme.find(bank.id, on: app.db)?.progress == 65)
        }
    }

    @Test func changesToProgrammesAndKPIsAreInTheAuditTrail() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            let kpi = try await PlansFixture.kpi(app, of: bank, named: "Nasabah")
            let kpiPath = "/programmes/\(id)/kpis/\(kpi.id!.uuidString)"
            let dlhAgency = try await PlansFixture.agency(app, "DLH"), dinkes = try await PlansFixture.agency(app, "DINKES")
            let doc = try await PlansFixture.link(app, region: bank.$region.id, agency: dlhAgency.id, title: "Rekap nasabah Oktober",
                                                  url: "https://example.org/rekap")
            let milestone = try #require(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$done == false).first())
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when: the owner's and the coordinator's changes
            #expect(try await dlh.post(kpiPath, ["period": "2022-10", "value": "10.400", "note": "termasuk nasabah sekolah"]).status == .seeOther)
            #expect(try await dlh.post(kpiPath, ["period": "2022-10", "value": "10400", "note": "termasuk nasabah sekolah", "evidence_id": doc.id!.uuidString]).status == .seeOther)
            #expect(try await dlh.post("/programmes/\(id)", ["status": "running", "progress": "72"]).status == .seeOther)
            #expect(try await dlh.post("/programmes/\(id)/milestones/\(milestone.id!.uuidString)", ["done": "1"]).status == .seeOther)
            #expect(try await dlh.post("/programmes/\(id)/risks", ["risk": "Hujan deras", "likelihood": "2", "impact": "3"]).status == .seeOther)
            #expect(try await kominfo.post("/programmes/\(id)/kpis", ["kpi_name": "Sekolah mitra", "kpi_unit": "sekolah", "kpi_frequency": "quarterly", "kpi_baseline": "12"]).status == .seeOther)
            let added = try await PlansFixture.kpi(app, of: bank, named: "Sekolah mitra")
            #expect(try await kominfo.post("/programmes/\(id)/kpis/\(added.id!.uuidString)/targets", ["year": "2023", "target_2023-Q1": "14", "target_2023-Q2": "16,5"]).status == .seeOther)
            #expect(try await kominfo.post("/programmes", ["title": "Posyandu digital", "pillar": "living", "horizon": "medium", "owner": dinkes.id!.uuidString, "start_year": "2023", "end_year": "2025"]).status == .seeOther)
            // then
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity ~~ ["programme", "kpi"]).count() >= 6)
        }
    }
}
