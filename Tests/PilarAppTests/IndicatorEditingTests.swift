import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Answering an indicator: two editors, bad input, locked and simultaneous answers")
struct IndicatorEditingTests: IndicatorSteps {
    /// The agency and the coordinator with the same (returned) QW.ENV open, at the revisions their pages printed.
    struct BothOpen {
        let agency: Browser
        let coordinator: Browser
        let opened: String
        let openedToo: String
    }

    func bothOpen(_ app: Application) async throws -> BothOpen {
        let agency = try await Browser.signedIn(app, Demo.dlh)
        let coordinator = try await Browser.signedIn(app, Demo.coordinator)
        let opened = revision(try await agency.get("/cycles/2022/indicators/QW.ENV").body.string)
        let openedToo = revision(try await coordinator.get("/cycles/2022/indicators/QW.ENV").body.string)
        return BothOpen(agency: agency, coordinator: coordinator, opened: opened, openedToo: openedToo)
    }

    /// … the coordinator saved first, and the agency then sent its answer from the older page.
    func coordinatorSavesThenAgencySubmits(_ given: BothOpen) async throws -> TestingHTTPResponse {
        let (agency, coordinator, opened, openedToo) = (given.agency, given.coordinator, given.opened, given.openedToo)
        let saved = try await coordinator.post("/cycles/2022/indicators/QW.ENV", [
            "action": "save", "level": "3", "justification": "Diisi koordinator.", "revision": openedToo,
        ])
        #expect(saved.status == .seeOther)
        return try await agency.post("/cycles/2022/indicators/QW.ENV", [
            "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Teks yang saya ketik panjang-panjang.", "revision": opened,
        ])
    }

    @Test func twoEditorsOpeningTheSameAnswerSeeTheSameRevision() async throws {
        try await withPilar { app in
            // given / when
            let given = try await bothOpen(app)
            let (opened, openedToo) = (given.opened, given.openedToo)
            // then
            #expect(!opened.isEmpty && opened == openedToo)
        }
    }

    @Test func theSecondEditorIsToldAndKeepsWhatTheyTyped() async throws {
        try await withPilar { app in
            // given / when: the coordinator saves first, the agency sends from the older page
            let refused = try await coordinatorSavesThenAgencySubmits(try await bothOpen(app))
            // then the agency's save is refused, says why, and keeps what it typed
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("baru saja diubah orang lain"))
            #expect(refused.body.string.contains("Teks yang saya ketik panjang-panjang."))
            #expect(refused.body.string.contains("Diisi koordinator."))
            let stored = try await assessment(app, "QW.ENV")
            #expect(stored.justification == "Diisi koordinator.")
            #expect(stored.status == .draft)
        }
    }

    @Test func sendingAgainFromTheRefreshedFormWorks() async throws {
        try await withPilar { app in
            // given the agency's refused answer
            let given = try await bothOpen(app)
            let agency = given.agency
            let refused = try await coordinatorSavesThenAgencySubmits(given)
            // when
            let retry = try await agency.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Teks yang saya ketik panjang-panjang.",
                "revision": revision(refused.body.string),
            ])
            // then
            #expect(retry.status == .seeOther)
            #expect(try await assessment(app, "QW.ENV").status == .submitted)
        }
    }

    @Test func aSubmittedAnswerIsLockedForTheAgency() async throws {
        try await withPilar { app in
            // given Dinkes's submitted QW.LIV
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when
            let page = try await dinkes.get("/cycles/2022/indicators/QW.LIV").body.string
            let r = try await dinkes.post("/cycles/2022/indicators/QW.LIV", ["action": "save", "level": "2", "justification": "x", "revision": revision(page)])
            // then
            #expect(!page.contains("value=\"submit\""))
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("sudah dikirim atau diverifikasi"))
        }
    }

    @Test func twoFirstAnswersAtOnceNeitherIsLost() async throws {
        try await withPilar { app in
            // given a new cycle with no answer rows at all
            let version = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
            let one = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await one.post("/admin/cycles", ["year": "2023", "instrument": version.id!.uuidString, "status": "self_assessment"]).status == .seeOther)
            let two = try await Browser.signedIn(app, Demo.coordinator)
            try await one.get("/cycles/2023/indicators/BL.1")
            try await two.get("/cycles/2023/indicators/BL.1")
            // when both send their first answer at the same moment, from revision 0
            async let a = one.post("/cycles/2023/indicators/BL.1", ["action": "save", "level": "2", "justification": "satu", "revision": "0"])
            async let b = two.post("/cycles/2023/indicators/BL.1", ["action": "save", "level": "3", "justification": "dua", "revision": "0"])
            let statuses = try await [a.status, b.status]
            // then one is saved, the other told, and there is one row
            #expect(statuses.sorted { $0.code < $1.code } == [.seeOther, .conflict])
            let rows = try await Assessment.query(on: app.db).filter(\.$indicatorCode == "BL.1").join(Cycle.self, on: \Assessment.$cycle.$id == \Cycle.$id)
                .filter(Cycle.self, \.$year == 2023).all()
            #expect(rows.count == 1)
            #expect(rows.first?.revision == 1)
        }
    }
}
