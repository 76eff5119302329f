import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Planning a programme: details, budgets, milestones, documents")
struct ProgrammePlanningTests {
    /// What the coordinator types into Bank Sampah's details form.
    let details = ["title": "Bank Sampah", "horizon": "quick_win", "start_year": "2022", "end_year": "2025",
                   "quick_win_year": "2022", "element": "", "indicators": "qw.env, OC.ENV, IM.ENV", "public": "1"]

    /// The coordinator saves the details, with DPUPR and DINSOS supporting.
    func saveTheDetails(_ app: Application, _ kominfo: Browser, _ bank: Programme) async throws -> TestingHTTPResponse {
        let dpupr = try #require(try await Agency.query(on: app.db).filter(\.$code == "DPUPR").first())
        let dinsos = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINSOS").first())
        return try await kominfo.post("/programmes/\(bank.id!.uuidString)/details", pairs: details.map { ($0.key, $0.value) }
            + [("supports[]", dpupr.id!.uuidString), ("supports[]", dinsos.id!.uuidString)])
    }

    func setTheBudget(_ dlh: Browser, _ bank: Programme) async throws -> TestingHTTPResponse {
        try await dlh.post("/programmes/\(bank.id!.uuidString)/budgets", ["budget_year": "2024", "apbd": "700.000.000", "other": "50000000"])
    }

    func document(_ b: Browser, _ bank: Programme, _ bytes: [UInt8], name: String) async throws -> TestingHTTPResponse {
        try await PlansFixture.upload(b, "/programmes/\(bank.id!.uuidString)/documents", fields: [("title", "Perwali Bank Sampah")],
                                      filename: name, bytes: bytes)
    }

    @Test func theCoordinatorSavesTheDetailsIndicatorsAndSupportingAgencies() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let saved = try await saveTheDetails(app, kominfo, bank)
            // then
            #expect(saved.status == .seeOther)
            let stored = try #require(try await Programme.find(bank.id, on: app.db))
            #expect(stored.endYear == 2025 && stored.isPublic && stored.title == "Bank Sampah")
            #expect(try await ProgrammeIndicator.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 3)
            #expect(try await ProgrammeSupport.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 2)
        }
    }

    @Test func detailsNamingAnUnknownIndicatorAreRefusedAndChangeNothing() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await saveTheDetails(app, kominfo, bank).status == .seeOther)
            var bad = details
            bad["indicators"] = "QW.ENV, NOPE.1"
            // when
            let refused = try await kominfo.post("/programmes/\(bank.id!.uuidString)/details", bad)
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("NOPE.1"))
            #expect(try await ProgrammeIndicator.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 3)
        }
    }

    @Test func theOwnerCannotChangeTheDetails() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("/programmes/\(bank.id!.uuidString)/details", details).status == .forbidden)
            #expect(try await Programme.find(bank.id, on: app.db)?.endYear == bank.endYear)
        }
    }

    @Test func theOwnerSetsABudget() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let saved = try await setTheBudget(dlh, bank)
            // then
            #expect(saved.status == .seeOther)
            let budget = try #require(try await ProgrammeBudget.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$year == 2024).first())
            #expect(budget.apbd == 700_000_000 && budget.other == 50_000_000)
        }
    }

    @Test func aBudgetForAYearOutOfRangeOrBelowZeroIsRefused() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("/programmes/\(id)/budgets", ["budget_year": "2031", "apbd": "1"]).status == .unprocessableEntity)
            #expect(try await dlh.post("/programmes/\(id)/budgets", ["budget_year": "2024", "apbd": "-5"]).status == .unprocessableEntity)
            #expect(try await ProgrammeBudget.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$year ~~ [2024, 2031]).count() == 0)
        }
    }

    @Test func theOwnerAddsAMilestone() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let added = try await dlh.post("/programmes/\(bank.id!.uuidString)/milestones", ["milestone_title": "Timbangan digital di 50 bank sampah", "milestone_due": "2023-06-30"])
            // then
            #expect(added.status == .seeOther)
            #expect(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 3)
        }
    }

    @Test func aMilestoneWithoutATitleOrOnAnImpossibleDayIsRefused() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("/programmes/\(bank.id!.uuidString)/milestones", ["milestone_title": "", "milestone_due": "2023-02-30"]).status == .unprocessableEntity)
            #expect(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 2)
        }
    }

    @Test func anotherAgencyNeitherSetsABudgetNorAddsAMilestone() async throws {
        try await withPilar { app in
            // given: the owner's budget for 2024
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            #expect(try await setTheBudget(try await Browser.signedIn(app, Demo.dlh), bank).status == .seeOther)
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await dinkes.post("/programmes/\(id)/budgets", ["budget_year": "2024", "apbd": "1"]).status == .forbidden)
            #expect(try await dinkes.post("/programmes/\(id)/milestones", ["milestone_title": "x"]).status == .forbidden)
            #expect(try await ProgrammeBudget.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$year == 2024).first()?.apbd == 700_000_000)
            #expect(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 2)
        }
    }

    @Test func aProgrammeDocumentJoinsTheOwnersLibraryAndCanBackTheIndicator() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let id = bank.id!.uuidString
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/programmes/\(id)")
            // when
            let uploaded = try await document(dlh, bank, EvidenceFixture.pdf, name: "perwali.pdf")
            // then
            #expect(uploaded.status == .seeOther)
            #expect(try await ProgrammeDocument.query(on: app.db).count() == 1)
            let doc = try #require(try await Evidence.query(on: app.db).filter(\.$title == "Perwali Bank Sampah").first())
            #expect(doc.$agency.id == bank.$owner.id)
            #expect(try await dlh.get("/programmes/\(id)").body.string.contains("Perwali Bank Sampah"))
            #expect(try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string.contains("<option value=\"\(doc.id!.uuidString)\">"))
        }
    }

    @Test func aDocumentThatIsNotWhatItsNameSaysIsRefused() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/programmes/\(bank.id!.uuidString)")
            // when / then
            #expect(try await document(dlh, bank, EvidenceFixture.png, name: "palsu.pdf").status == .unprocessableEntity)
            #expect(try await ProgrammeDocument.query(on: app.db).count() == 0)
        }
    }

    @Test func anotherAgencyCannotAddADocument() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            try await dinkes.get("/")
            // when / then
            #expect(try await document(dinkes, bank, EvidenceFixture.pdf, name: "x.pdf").status == .forbidden)
            #expect(try await ProgrammeDocument.query(on: app.db).count() == 0)
        }
    }
}
