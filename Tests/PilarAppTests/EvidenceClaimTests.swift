import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: a claimed level and the evidence behind it")
struct EvidenceClaimTests: EvidenceSteps {
    /// The 2022 answer on QW.ENV's status.
    func status(_ app: Application) async throws -> Assessment.Status? {
        let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
        return try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == "QW.ENV").first()?.status
    }

    @Test func submittingWithNoEvidenceAsksToConfirmAndKeepsTheText() async throws {
        try await withPilar { app in
            // given: QW.ENV, returned, with no evidence
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // when submitting a level
            let warned = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "level": "4", "justification": "Tonase terlampir.", "revision": revision(page),
            ])
            // then nothing is sent yet, the form keeps the text and asks to confirm
            #expect(warned.status == .ok)
            #expect(warned.body.string.contains("tanpa bukti dukung apa pun"))
            #expect(warned.body.string.contains("Tonase terlampir."))
            #expect(try await Assessment.query(on: app.db).filter(\.$indicatorCode == "QW.ENV").first()!.status == .returned)
        }
    }

    @Test func submittingWithEvidenceAttachedGoesStraightThrough() async throws {
        try await withPilar { app in
            // given: a document on QW.ENV
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await upload(dlh).status == .seeOther)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // when
            let sent = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "level": "4", "justification": "Tonase terlampir.", "revision": revision(page),
            ])
            // then
            #expect(sent.status == .seeOther)
        }
    }

    @Test func thePageSaysUpToWhichLevelTheEvidenceGoes() async throws {
        try await withPilar { app in
            // given
            let (dlh, _) = try await uploaded(app, fields: [("title", "Data tonase"), ("supports_level", "2")])
            // when
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // then
            #expect(page.contains("sampai level 2"))
        }
    }

    @Test func aClaimAboveWhatTheEvidenceSupportsAsksToConfirmFirst() async throws {
        try await withPilar { app in
            // given: evidence supporting level 2
            let (dlh, _) = try await uploaded(app, fields: [("title", "Data tonase"), ("supports_level", "2")])
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // when claiming 4
            let warned = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "level": "4", "justification": "x",
                                                                              "revision": revision(page)])
            // then
            #expect(warned.status == .ok)
            #expect(warned.body.string.contains("hanya mendukung sampai level 2"))
            #expect(try await status(app) == .returned)
        }
    }

    @Test func aClaimTheEvidenceSupportsGoesStraightThrough() async throws {
        try await withPilar { app in
            // given: evidence supporting level 2
            let (dlh, _) = try await uploaded(app, fields: [("title", "Data tonase"), ("supports_level", "2")])
            let fresh = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // when / then
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "level": "2", "justification": "x",
                                                                          "revision": revision(fresh)]).status == .seeOther)
            #expect(try await status(app) == .submitted)
        }
    }
}
