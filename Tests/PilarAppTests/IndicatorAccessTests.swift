import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Answering an indicator: who may read and write it")
struct IndicatorAccessTests: IndicatorSteps {
    @Test func anotherAgencyCannotReadTheIndicator() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await dinkes.get("/cycles/2022/indicators/QW.ENV").status == .forbidden)
        }
    }

    @Test func anotherAgencyCannotWriteTheIndicator() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            try await dinkes.get("/cycles/2022/indicators/QW.LIV")
            // when
            let write = try await dinkes.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "5", "justification": "x", "revision": "1",
            ])
            // then
            #expect(write.status == .forbidden)
            #expect(try await assessment(app, "QW.ENV").selfLevel == 3)
        }
    }

    @Test func anAgencyCannotVerifyItsOwnIndicator() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            try await dinkes.get("/cycles/2022/indicators/QW.LIV")
            // when
            let verify = try await dinkes.post("/cycles/2022/indicators/QW.LIV", [
                "action": "verify", "verified_level": "5", "revision": "1",
            ])
            // then
            #expect(verify.status == .forbidden)
        }
    }

    @Test func leadershipAndTheAssessorSeeTheAnswerWithoutAForm() async throws {
        try await withPilar { app in
            for user in [Demo.leader, Demo.assessor] {
                // given
                let b = try await Browser.signedIn(app, user)
                // when
                let page = try await b.get("/cycles/2022/indicators/QW.LIV")
                // then
                #expect(page.status == .ok)
                #expect(!page.body.string.contains("name=\"action\""))
            }
        }
    }

    @Test func leadershipAndTheAssessorCannotSave() async throws {
        try await withPilar { app in
            for user in [Demo.leader, Demo.assessor] {
                // given
                let b = try await Browser.signedIn(app, user)
                try await b.get("/cycles/2022/indicators/QW.LIV")
                // when
                let r = try await b.post("/cycles/2022/indicators/QW.LIV", ["action": "save", "level": "1", "revision": "1"])
                // then
                #expect(r.status == .forbidden)
            }
        }
    }

    @Test func theAssessorDoesNotSeeADraft() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            // when / then
            #expect(try await assessor.get("/cycles/2022/indicators/IM.BRD").status == .forbidden)
        }
    }

    @Test func theAssessorSeesASubmissionButNotTheDraftsBeforeIt() async throws {
        try await withPilar { app in
            // given DLH's submission
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let opened = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            _ = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Final.",
                "revision": revision(opened),
            ])
            // when
            let seen = try await assessor.get("/cycles/2022/indicators/QW.ENV").body.string
            // then
            #expect(seen.contains("Final."))
            #expect(!seen.contains("Operator Dinas Lingkungan Hidup (kediri.dlh)"))
        }
    }

    @Test func anUnknownCodeIsNotFound() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await dinkes.get("/cycles/2022/indicators/NOPE").status == .notFound)
        }
    }

    @Test func anUnknownYearIsNotFound() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await dinkes.get("/cycles/1999/indicators/QW.LIV").status == .notFound)
        }
    }
}
