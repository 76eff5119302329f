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

    @Test func aLongListIsPagedAndNarrowedToOneStatus() async throws {
        try await withPilar { app in
            // given a region of 100 indicators, its coordinator signed in
            _ = try await ScaleSeed.load(app, scale: 1)
            let coordinator = try await Browser.signedIn(app, (ScaleSeed.username(1, .coordinator), ScaleSeed.password(.coordinator)))
            func rows(_ html: String) -> Int { html.components(separatedBy: "<tr>").count - 2 } // less the head
            // when the work list is opened, then it shows 50 of them and links to the next 50
            let first = try await coordinator.get("/my/indicators").body.string
            #expect(rows(first) == 50)
            #expect(first.contains("1–50") && first.contains("href=\"/my/indicators?page=2\""))
            let second = try await coordinator.get("/my/indicators?page=2").body.string
            #expect(rows(second) == 50 && second.contains("51–100") && second.contains("rel=\"prev\""))
            // a page past the end shows the last; one that is not a number the first
            #expect(try await coordinator.get("/my/indicators?page=99").body.string.contains("51–100"))
            #expect(rows(try await coordinator.get("/my/indicators?page=dua").body.string) == 50)
            // when narrowed to one status, only that status is listed and the counts stay whole
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == ScaleSeed.regionCode(1)).first())
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$region.$id == region.requireID()).filter(\.$year == 2022).first())
            let verified = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.requireID())
                .filter(\.$status == .verified).count()
            let only = try await coordinator.get("/my/indicators?status=verified").body.string
            #expect(rows(only) == min(verified, 50))
            #expect(!only.contains("<span class=\"chip status-draft\">") && only.contains("<span class=\"chip status-verified\">"))
            #expect(only.contains("aria-current=\"true\"") && only.contains("Tampilkan semua"))
            // an unknown status lists everything
            #expect(rows(try await coordinator.get("/my/indicators?status=hilang").body.string) == 50)
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
