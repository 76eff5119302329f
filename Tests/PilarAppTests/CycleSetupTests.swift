import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: a new cycle copies last year's")
struct CycleSetupTests {
    /// The form for 2023, copying 2022's assignments, targets and evidence.
    func newCycleForm(_ app: Application) async throws -> [String: String] {
        let version = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
        return ["year": "2023", "instrument": version.id!.uuidString, "target_index": "3,6",
                "evaluation_date": "2023-10-04", "status": "planning", "copy_from": "2022",
                "copy_assignments": "1", "copy_targets": "1", "copy_evidence": "1",
                "stage_self_assessment_start": "2023-07-01", "stage_self_assessment_end": "2023-09-22"]
    }

    /// Evidence on QW.ENV of 2022: one valid beyond the 2023 evaluation, one that expires before it.
    func evidenceOn2022(_ app: Application) async throws {
        let cycle2022 = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
        let qwEnv = try #require(try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle2022.id!).filter(\.$indicatorCode == "QW.ENV").first())
        let region = try #require(try await Region.query(on: app.db).first())
        let user = try #require(try await User.query(on: app.db).first())
        for (title, expiry) in [("Perwali bank sampah", nil), ("Izin lama", "2023-03-31") as (String, String?)] {
            let e = Evidence()
            e.$region.id = region.id!
            e.kind = "link"; e.title = title; e.url = "https://example.org/\(title.count)"; e.expiresOn = expiry
            e.createdBy = user.id!; e.createdAt = app.now
            try await e.create(on: app.db)
            try await EvidenceLink(evidenceID: e.id!, assessmentID: qwEnv.id!).create(on: app.db)
        }
    }

    /// The coordinator creates 2023 from 2022; the page it leads to.
    @discardableResult
    func create2023(_ app: Application, _ kominfo: Browser) async throws -> String {
        let created = try await kominfo.post("/admin/cycles", try await newCycleForm(app))
        #expect(created.status == .seeOther)
        return try #require(created.headers.first(name: .location))
    }

    /// Later settings of 2023.
    let settings = ["target_index": "3.5", "evaluation_date": "2023-10-11", "status": "self_assessment",
                    "stage_stage1_start": "2023-10-11", "stage_stage1_end": "2023-10-11"]

    @Test func theCoordinatorSeesTheNewCycleForm() async throws {
        try await withPilar { app in
            // when
            let form = try await Browser.signedIn(app, Demo.coordinator).get("/admin/cycles")
            // then
            #expect(form.status == .ok)
        }
    }

    @Test func badInputIsRefusedWithWhatWasTypedKeptAndNothingIsCreated() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let fields = try await newCycleForm(app)
            for (key, value) in [("year", "23"), ("target_index", "9"), ("target_index", "tiga"), ("evaluation_date", "2023-02-30"),
                                 ("stage_self_assessment_end", "2023-06-01"), ("instrument", UUID().uuidString), ("copy_from", "1999"),
                                 ("year", "2022")] {
                var bad = fields
                bad[key] = value
                // when
                let response = try await kominfo.post("/admin/cycles", bad)
                // then
                #expect(response.status == .unprocessableEntity, "\(key)=\(value)")
                #expect(response.body.string.contains("value=\"\(value)\"") || key == "instrument" || key == "copy_from", "\(key) kept")
            }
            #expect(try await Cycle.query(on: app.db).count() == 3)
        }
    }

    @Test func theNewCycleKeepsItsSettingsAndStages() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let created = try await kominfo.post("/admin/cycles", try await newCycleForm(app))
            // then
            #expect(created.status == .seeOther)
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2023).first())
            #expect(cycle.targetIndex == 3.6)
            #expect(cycle.status == .planning)
            let stage = try #require(try await CycleStage.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$kind == "self_assessment").first())
            #expect(stage.endsOn == "2023-09-22")
        }
    }

    @Test func theNewCycleCopiesEveryAssignmentUnanswered() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let cycle2022 = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            // when
            let summary = try await kominfo.get(try await create2023(app, kominfo)).body.string
            // then
            #expect(summary.contains("26 penugasan"))
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2023).first())
            let copied = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).all()
            #expect(copied.count == 26)
            #expect(copied.allSatisfy { $0.status == .notStarted && $0.selfLevel == nil && $0.verifiedLevel == nil })
            let old = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle2022.id!).all()
            for a in old {
                let new = try #require(copied.first { $0.indicatorCode == a.indicatorCode })
                #expect(new.$leadAgency.id == a.$leadAgency.id)
                #expect(new.targetLevel == a.targetLevel)
            }
            let oldContributors = try await AssessmentContributor.query(on: app.db).filter(\.$assessment.$id ~~ old.map { $0.id! }).count()
            #expect(try await AssessmentContributor.query(on: app.db).filter(\.$assessment.$id ~~ copied.map { $0.id! }).count() == oldContributors)
        }
    }

    @Test func theNewCycleCopiesOnlyEvidenceStillValidAtItsEvaluation() async throws {
        try await withPilar { app in
            // given
            try await evidenceOn2022(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            try await create2023(app, kominfo)
            // then
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2023).first())
            let newQW = try #require(try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == "QW.ENV").first())
            let links = try await EvidenceLink.query(on: app.db).filter(\.$assessment.$id == newQW.id!).with(\.$evidence).all()
            #expect(links.map(\.evidence.title) == ["Perwali bank sampah"])
        }
    }

    @Test func theNewCycleIsNowTheCurrentOne() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            try await create2023(app, kominfo)
            // when / then
            #expect(try await kominfo.get("/my/indicators").body.string.contains("2023"))
        }
    }

    @Test func aCyclesSettingsChangeLater() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            try await create2023(app, kominfo)
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2023).first())
            // when
            #expect(try await kominfo.get("/admin/cycles/2023").status == .ok)
            let saved = try await kominfo.post("/admin/cycles/2023", settings)
            // then
            #expect(saved.status == .seeOther)
            #expect(try await Cycle.find(cycle.id, on: app.db)?.targetIndex == 3.5)
        }
    }

    @Test func badSettingsChangeNothing() async throws {
        try await withPilar { app in
            // given: 2023 in self-assessment
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            try await create2023(app, kominfo)
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2023).first())
            #expect(try await kominfo.post("/admin/cycles/2023", settings).status == .seeOther)
            // when
            let bad = try await kominfo.post("/admin/cycles/2023", ["target_index": "x", "status": "planning"])
            // then
            #expect(bad.status == .unprocessableEntity)
            #expect(try await Cycle.find(cycle.id, on: app.db)?.status == .selfAssessment)
        }
    }

    @Test func anUnknownCycleIsNotFound() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.post("/admin/cycles/2031", settings).status == .notFound)
        }
    }

    @Test func onlyTheCoordinatorRunsCycles() async throws {
        try await withPilar { app in
            for user in [Demo.admin, Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/admin/cycles").status == .forbidden)
                #expect(try await b.post("/admin/cycles", settings.merging(["year": "2024"]) { $1 }).status == .forbidden)
            }
            #expect(try await Cycle.query(on: app.db).count() == 3)
        }
    }

    @Test func theCopyIsInTheAuditTrail() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            try await create2023(app, kominfo)
            #expect(try await kominfo.post("/admin/cycles/2023", settings).status == .seeOther)
            // then
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "cycle").filter(\.$field == "copied_from").count() == 1)
        }
    }
}
