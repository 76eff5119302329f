import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

/// Dinas Lingkungan Hidup answers its returned Bank Sampah quick win, the coordinator returns it,
/// the agency fixes it and the coordinator verifies it: one test for each step's outcome.
@Suite("Answering and verifying an indicator: submit, return, resubmit, verify")
struct IndicatorReviewTests: IndicatorSteps {
    /// The agency has submitted, the coordinator returned it, and the agency resubmitted.
    func resubmitted(_ app: Application) async throws -> (dlh: Browser, kominfo: Browser) {
        let dlh = try await Browser.signedIn(app, Demo.dlh)
        let kominfo = try await Browser.signedIn(app, Demo.coordinator)
        try await agencySubmits(dlh)
        try await coordinatorReturns(kominfo)
        try await agencySubmits(dlh, justification: "Daftar 120 bank sampah aktif dilampirkan.")
        return (dlh, kominfo)
    }

    /// … and the coordinator verified it at 4.
    func verified(_ app: Application) async throws -> (dlh: Browser, kominfo: Browser) {
        let given = try await resubmitted(app)
        try await coordinatorVerifies(given.kominfo)
        return given
    }

    @Test func theAgencySeesWhatItsReturnedIndicatorAsksFor() async throws {
        try await withPilar { app in
            // given Dinas Lingkungan Hidup's returned Bank Sampah quick win
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // then
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Lengkapi data tonase per bulan"))
        }
    }

    @Test func theAgencySubmitsALevelWithAJustification() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when the agency submits level 4 with a justification
            let response = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Data tonase Januari–Agustus dilampirkan.",
                "revision": revision(page.body.string),
            ])
            // then
            #expect(response.status == .seeOther)
            #expect(try await assessment(app, "QW.ENV").status == .submitted)
            #expect(try await assessment(app, "QW.ENV").selfLevel == 4)
        }
    }

    @Test func aSubmissionIsInTheCoordinatorsReviewQueue() async throws {
        try await withPilar { app in
            // given
            try await agencySubmits(try await Browser.signedIn(app, Demo.dlh))
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let queue = try await kominfo.get("/review").body.string
            // then
            #expect(queue.contains("QW.ENV"))
        }
    }

    @Test func theCoordinatorReturnsASubmissionWithANote() async throws {
        try await withPilar { app in
            // given
            try await agencySubmits(try await Browser.signedIn(app, Demo.dlh))
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let response = try await coordinatorReturns(kominfo)
            // then
            #expect(response.status == .seeOther)
            #expect(try await assessment(app, "QW.ENV").status == .returned)
        }
    }

    @Test func theAgencySeesTheReturnNoteInItsList() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await agencySubmits(dlh)
            try await coordinatorReturns(try await Browser.signedIn(app, Demo.coordinator))
            // when
            let list = try await dlh.get("/my/indicators").body.string
            // then
            #expect(list.contains("Tambahkan daftar bank sampah aktif."))
        }
    }

    @Test func theAgencyResubmitsAfterFixing() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await agencySubmits(dlh)
            try await coordinatorReturns(try await Browser.signedIn(app, Demo.coordinator))
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when
            let response = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Daftar 120 bank sampah aktif dilampirkan.",
                "revision": revision(page.body.string),
            ])
            // then
            #expect(response.status == .seeOther)
        }
    }

    @Test func theCoordinatorVerifiesTheResubmission() async throws {
        try await withPilar { app in
            // given
            let (_, kominfo) = try await resubmitted(app)
            // when the coordinator verifies at 4
            let response = try await coordinatorVerifies(kominfo)
            // then
            #expect(response.status == .seeOther)
            let final = try await assessment(app, "QW.ENV")
            #expect(final.status == .verified)
            #expect(final.verifiedLevel == 4)
        }
    }

    @Test func aVerificationMovesTheVerifiedIndex() async throws {
        try await withPilar { app in
            // given
            let (_, kominfo) = try await verified(app)
            // when
            let score = try await kominfo.get("/api/v1/cycles/2022/score?layer=verified")
            // then QW (4,3,3,4,3,4)=3.5 instead of 3.4 → index 3.25
            let json = try JSONSerialization.jsonObject(with: Data(buffer: score.body)) as! [String: Any]
            #expect(json["display"] as? String == "3.25")
        }
    }

    @Test func everyStepIsInTheAuditTrail() async throws {
        try await withPilar { app in
            // given / when
            _ = try await verified(app)
            // then
            let events = try await AuditEvent.query(on: app.db).filter(\.$entityKey == "QW.ENV").filter(\.$field == "status")
                .sort(\.$at).all()
            #expect(events.map(\.after) == ["submitted", "returned", "submitted", "verified"])
        }
    }

    @Test func thePageShowsWhoActedAndTheirNotes() async throws {
        try await withPilar { app in
            // given
            let (_, kominfo) = try await verified(app)
            // when
            let html = try await kominfo.get("/cycles/2022/indicators/QW.ENV").body.string
            // then
            #expect(html.contains("Operator Dinas Lingkungan Hidup (kediri.dlh)"))
            #expect(html.contains("Tambahkan daftar bank sampah aktif."))
        }
    }
}
