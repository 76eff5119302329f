import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("KPIs: realisations, evidence, new KPIs and their targets")
struct KPITests {
    /// Bank Sampah, its KPI "Nasabah" and the path its realisations are posted to.
    struct Given {
        let bank: Programme
        let kpi: KPI
        var id: String { bank.id!.uuidString }
        var path: String { "/programmes/\(bank.id!.uuidString)/kpis/\(kpi.id!.uuidString)" }
    }

    func nasabah(_ app: Application) async throws -> Given {
        let bank = try await PlansFixture.bankSampah(app)
        return Given(bank: bank, kpi: try await PlansFixture.kpi(app, of: bank, named: "Nasabah"))
    }

    /// The coordinator adds the quarterly KPI "Sekolah mitra" to Bank Sampah.
    func sekolahMitra(_ app: Application, _ kominfo: Browser, _ given: Given) async throws -> KPI {
        #expect(try await kominfo.post("/programmes/\(given.id)/kpis", ["kpi_name": "Sekolah mitra", "kpi_unit": "sekolah", "kpi_frequency": "quarterly", "kpi_baseline": "12"]).status == .seeOther)
        return try #require(try await KPI.query(on: app.db).filter(\.$name == "Sekolah mitra").first())
    }

    @Test func theOwnerRecordsAMonthsRealisationTypedWithAThousandsDot() async throws {
        try await withPilar { app in
            // given
            let given = try await nasabah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when: October, typed the Indonesian way, with a note
            let saved = try await dlh.post(given.path, ["period": "2022-10", "value": "10.400", "note": "termasuk nasabah sekolah"])
            // then
            #expect(saved.status == .seeOther)
            let stored = try #require(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == given.kpi.id!).filter(\.$period == "2022-10").first())
            #expect(stored.value == 10400)
            #expect(stored.note == "termasuk nasabah sekolah")
        }
    }

    @Test func aRealisationBackedByAnUnknownDocumentIsRefused() async throws {
        try await withPilar { app in
            // given
            let given = try await nasabah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let refused = try await dlh.post(given.path, ["period": "2022-10", "value": "10400", "evidence_id": UUID().uuidString])
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == given.kpi.id!).filter(\.$period == "2022-10").count() == 0)
        }
    }

    @Test func aRealisationIsBackedByOneOfTheOwnersDocuments() async throws {
        try await withPilar { app in
            // given: a document in DLH's library
            let given = try await nasabah(app)
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            let doc = try await PlansFixture.link(app, region: given.bank.$region.id, agency: dlhAgency.id, title: "Rekap nasabah Oktober",
                                                  url: "https://example.org/rekap")
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let saved = try await dlh.post(given.path, ["period": "2022-10", "value": "10400", "note": "termasuk nasabah sekolah", "evidence_id": doc.id!.uuidString])
            // then
            #expect(saved.status == .seeOther)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == given.kpi.id!).filter(\.$period == "2022-10").first()?.evidenceID == doc.id)
        }
    }

    @Test func badPeriodsAndValuesAreRefusedAndChangeNothing() async throws {
        try await withPilar { app in
            // given: October recorded
            let given = try await nasabah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.post(given.path, ["period": "2022-10", "value": "10.400", "note": "termasuk nasabah sekolah"]).status == .seeOther)
            for form in [["period": "2031-01", "value": "1"], ["period": "2022-13", "value": "1"], ["period": "2022-Q1", "value": "1"],
                         ["period": "2022-11", "value": "banyak"]] {
                // when
                let r = try await dlh.post(given.path, form)
                // then
                #expect(r.status == .unprocessableEntity, "\(form)")
            }
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == given.kpi.id!).count() == 10)
        }
    }

    @Test func anotherAgencyLeadershipAndTheAssessorCannotRecordARealisation() async throws {
        try await withPilar { app in
            // given
            let given = try await nasabah(app)
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.post(given.path, ["period": "2022-11", "value": "1"]).status == .forbidden)
            }
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == given.kpi.id!).filter(\.$period == "2022-11").count() == 0)
        }
    }

    @Test func theOwningAgencyCannotAddAKPI() async throws {
        try await withPilar { app in
            // given
            let given = try await nasabah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let refused = try await dlh.post("/programmes/\(given.id)/kpis", ["kpi_name": "x", "kpi_unit": "y", "kpi_frequency": "monthly"])
            // then
            #expect(refused.status == .forbidden)
            #expect(try await KPI.query(on: app.db).filter(\.$name == "x").count() == 0)
        }
    }

    @Test func theCoordinatorAddsAQuarterlyKPIWithItsTargets() async throws {
        try await withPilar { app in
            // given
            let given = try await nasabah(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let created = try await kominfo.post("/programmes/\(given.id)/kpis", ["kpi_name": "Sekolah mitra", "kpi_unit": "sekolah", "kpi_frequency": "quarterly", "kpi_baseline": "12"])
            #expect(created.status == .seeOther)
            let added = try #require(try await KPI.query(on: app.db).filter(\.$name == "Sekolah mitra").first())
            let targets = try await kominfo.post("/programmes/\(given.id)/kpis/\(added.id!.uuidString)/targets", ["year": "2023", "target_2023-Q1": "14", "target_2023-Q2": "16,5"])
            // then
            #expect(targets.status == .seeOther)
            #expect(try await KPITarget.query(on: app.db).filter(\.$kpi.$id == added.id!).count() == 2)
        }
    }

    @Test func theTargetsFormIsOfferedToTheCoordinatorOnly() async throws {
        try await withPilar { app in
            // given: a KPI with targets for 2023
            let given = try await nasabah(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let added = try await sekolahMitra(app, kominfo, given)
            #expect(try await kominfo.post("/programmes/\(given.id)/kpis/\(added.id!.uuidString)/targets", ["year": "2023", "target_2023-Q1": "14", "target_2023-Q2": "16,5"]).status == .seeOther)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let withForm = try await kominfo.get("/programmes/\(given.id)?year=2023").body.string
            let withoutForm = try await dlh.get("/programmes/\(given.id)?year=2023").body.string
            // then
            #expect(withForm.contains("name=\"target_2023-Q2\" value=\"16,5\""))
            #expect(!withoutForm.contains("name=\"target_2023-Q2\""))
        }
    }

    @Test func aTargetThatIsNotANumberIsRefused() async throws {
        try await withPilar { app in
            // given
            let given = try await nasabah(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let added = try await sekolahMitra(app, kominfo, given)
            // when
            let refused = try await kominfo.post("/programmes/\(given.id)/kpis/\(added.id!.uuidString)/targets", ["year": "2023", "target_2023-Q3": "x"])
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(try await KPITarget.query(on: app.db).filter(\.$kpi.$id == added.id!).count() == 0)
        }
    }
}
