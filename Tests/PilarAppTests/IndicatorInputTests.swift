import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Answering an indicator: bad input is named and nothing stored")
struct IndicatorInputTests: IndicatorSteps {
    /// DLH with QW.ENV open: its browser, the page's revision and the answer as it was.
    func opened(_ app: Application) async throws -> (dlh: Browser, rev: String, before: Assessment) {
        let dlh = try await Browser.signedIn(app, Demo.dlh)
        let rev = revision(try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string)
        return (dlh, rev, try await assessment(app, "QW.ENV"))
    }

    /// Nothing changed: the same revision and level, and nothing in the audit trail.
    func expectNothingChanged(_ app: Application, since before: Assessment,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let after = try await assessment(app, "QW.ENV")
        #expect(after.revision == before.revision, sourceLocation: sourceLocation)
        #expect(after.selfLevel == before.selfLevel, sourceLocation: sourceLocation)
        #expect(try await AuditEvent.query(on: app.db).count() == 0, sourceLocation: sourceLocation)
    }

    @Test func submittingWithNoLevelAndNoJustificationNamesBoth() async throws {
        try await withPilar { app in
            // given
            let (dlh, rev, before) = try await opened(app)
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "confirm_no_evidence": "1", "level": "", "justification": " ", "revision": rev])
            // then
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Pilih tingkat sebelum mengirim."))
            #expect(r.body.string.contains("Tulis justifikasi sebelum mengirim."))
            try await expectNothingChanged(app, since: before)
        }
    }

    @Test func aLevelOutsideTheScaleIsNamed() async throws {
        try await withPilar { app in
            // given
            let (dlh, rev, before) = try await opened(app)
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "confirm_no_evidence": "1", "level": "9", "justification": "j", "revision": rev])
            // then
            #expect(r.body.string.contains("Tingkat harus antara 1 dan 5."))
            try await expectNothingChanged(app, since: before)
        }
    }

    @Test func aLevelThatIsNotANumberIsNamedAndTheJustificationKept() async throws {
        try await withPilar { app in
            // given
            let (dlh, rev, before) = try await opened(app)
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "save", "level": "tiga", "justification": "j", "revision": rev])
            // then
            #expect(r.body.string.contains("Tingkat harus berupa angka atau N/A."))
            #expect(r.body.string.contains(">j</textarea>"))
            try await expectNothingChanged(app, since: before)
        }
    }

    @Test func notApplicableWhereTheIndicatorDoesNotAllowItIsNamed() async throws {
        try await withPilar { app in
            // given
            let (dlh, rev, before) = try await opened(app)
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "save", "level": "NA", "justification": "j", "revision": rev])
            // then
            #expect(r.body.string.contains("tidak boleh diisi"))
            try await expectNothingChanged(app, since: before)
        }
    }

    @Test func anUnknownActionIsABadRequest() async throws {
        try await withPilar { app in
            // given
            let (dlh, rev, before) = try await opened(app)
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "delete", "revision": rev])
            // then
            #expect(r.status == .badRequest)
            try await expectNothingChanged(app, since: before)
        }
    }

    @Test func notApplicableWhereTheInstrumentAllowsItIsAcceptedForTheCoordinator() async throws {
        try await withPilar { app in
            // given BL.1, which may be N/A
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let bl = revision(try await kominfo.get("/cycles/2022/indicators/BL.1").body.string)
            // when
            let r = try await kominfo.post("/cycles/2022/indicators/BL.1", ["action": "verify", "verified_level": "NA", "note": "Kota baru.", "revision": bl])
            // then
            #expect(r.status == .seeOther)
            #expect(try await assessment(app, "BL.1").notApplicable)
        }
    }
}
