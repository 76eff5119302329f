import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Answering an indicator: the work lists show what each user may act on")
struct IndicatorWorkListTests: IndicatorSteps {
    @Test func anAgencysListShowsItsOwnIndicatorsOnly() async throws {
        try await withPilar { app in
            // given / when
            let dinkes = try await Browser.signedIn(app, Demo.dinkes).get("/my/indicators").body.string
            // then
            for code in ["OC.LIV", "IM.LIV", "QW.LIV"] { #expect(dinkes.contains(">\(code)<")) }
            #expect(!dinkes.contains(">QW.ENV<"))
        }
    }

    @Test func anAgencysListShowsWhenItsAnswersMoved() async throws {
        try await withPilar { app in
            // given / when
            let dinkes = try await Browser.signedIn(app, Demo.dinkes).get("/my/indicators").body.string
            // then
            #expect(dinkes.contains("27 September 2022"))
        }
    }

    @Test func theReviewQueueShowsWhatAwaitsVerificationOnly() async throws {
        try await withPilar { app in
            // given / when
            let queue = try await Browser.signedIn(app, Demo.coordinator).get("/review").body.string
            // then
            for code in ["BL.3", "OP.5", "IM.ENV"] { #expect(queue.contains(">\(code)<")) }
            #expect(!queue.contains(">QW.LIV<"))
        }
    }

    @Test func theReviewQueueShowsWhenEachAnswerMovedLongestWaitingFirst() async throws {
        try await withPilar { app in
            // given the demo's answers, which moved in September 2022
            // when
            let queue = try await Browser.signedIn(app, Demo.coordinator).get("/review").body.string
            // then BL.3 has waited longest
            #expect(queue.contains("19 September 2022 09.30"))
            let bl3 = try #require(queue.range(of: ">BL.3<")), imEnv = try #require(queue.range(of: ">IM.ENV<"))
            #expect(bl3.lowerBound < imEnv.lowerBound)
        }
    }

    @Test func onlyTheCoordinatorMayOpenTheReviewQueue() async throws {
        try await withPilar { app in
            // given
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            let leader = try await Browser.signedIn(app, Demo.leader)
            // when / then
            #expect(try await dinkes.get("/review").status == .forbidden)
            #expect(try await leader.get("/review").status == .forbidden)
        }
    }

    @Test func theAdministratorHasNoWorkList() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            // when / then
            #expect(try await admin.get("/my/indicators").status == .forbidden)
        }
    }

    @Test func someoneSignedOutIsSentToSignInFromTheReviewQueue() async throws {
        try await withPilar { app in
            // given / when
            let response = try await Browser(app).get("/review")
            // then
            #expect(response.status == .seeOther)
        }
    }
}
