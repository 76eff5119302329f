import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Recommendations and their follow-up")
struct RecommendationTests {
    /// Last year's recommendation for DLH about the bank sampah.
    func dlhsRecommendation(_ app: Application) async throws -> Recommendation {
        try #require(try await Recommendation.query(on: app.db).filter(\.$text ~~ "bank sampah").first())
    }

    /// One link in DLH's library and one in DINKES's: "Laporan DLH", "Laporan DINKES".
    func reports(_ app: Application) async throws -> (dlh: UUID, dinkes: UUID) {
        let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
        let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
        let dinkesAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
        let user = try #require(try await User.query(on: app.db).first())
        var docs: [UUID] = []
        for agency in [dlhAgency, dinkesAgency] {
            let e = try await PlansFixture.link(app, region: region.id!, agency: agency.id, title: "Laporan \(agency.code)",
                                                url: "https://example.org/\(agency.code)", createdBy: user.id!)
            docs.append(e.id!)
        }
        return (docs[0], docs[1])
    }

    func followUpPath(_ rec: Recommendation) -> String { "/cycles/2021/recommendations/\(rec.id!.uuidString)" }

    @Test func theAgencyReadsLastYearsRecommendations() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let page = try await dlh.get("/cycles/2022/recommendations")
            // then
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Ukur dampak bank sampah"))
        }
    }

    @Test func theAgencyFollowsUpItsRecommendation() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let own = try await dlhsRecommendation(app)
            // when
            let saved = try await dlh.post(followUpPath(own), ["status": "in_progress", "note": "Timbangan di TPA dipasang", "back": "/cycles/2022/recommendations"])
            // then
            #expect(saved.status == .seeOther)
            #expect(try await Recommendation.find(own.id, on: app.db)?.followUpStatus == .inProgress)
        }
    }

    @Test func aFollowUpBackedByAnotherAgencysDocumentIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let own = try await dlhsRecommendation(app)
            let docs = try await reports(app)
            // when / then
            #expect(try await dlh.post(followUpPath(own), ["status": "in_progress", "note": "x", "evidence_id": docs.dinkes.uuidString]).status == .unprocessableEntity)
            #expect(try await Recommendation.find(own.id, on: app.db)?.evidenceID == own.evidenceID)
        }
    }

    @Test func aFollowUpIsBackedByADocumentOfTheAgencysLibrary() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let own = try await dlhsRecommendation(app)
            let docs = try await reports(app)
            // when
            let saved = try await dlh.post(followUpPath(own), ["status": "in_progress", "note": "x", "evidence_id": docs.dlh.uuidString])
            // then
            #expect(saved.status == .seeOther)
            #expect(try await Recommendation.find(own.id, on: app.db)?.evidenceID == docs.dlh)
            #expect(try await dlh.get("/cycles/2022/recommendations").body.string.contains("Laporan DLH"))
        }
    }

    @Test func anUnknownFollowUpStatusIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let own = try await dlhsRecommendation(app)
            // when / then
            #expect(try await dlh.post(followUpPath(own), ["status": "maybe"]).status == .unprocessableEntity)
            #expect(try await Recommendation.find(own.id, on: app.db)?.followUpStatus == own.followUpStatus)
        }
    }

    @Test func anAgencyCannotFollowUpAnotherAgencysRecommendation() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let other = try #require(try await Recommendation.query(on: app.db).filter(\.$text ~~ "Forum Smart City").first())
            // when / then
            #expect(try await dlh.post(followUpPath(other), ["status": "done"]).status == .forbidden)
            #expect(try await Recommendation.find(other.id, on: app.db)?.followUpStatus == other.followUpStatus)
        }
    }

    @Test func theAssessorReadsTheRecommendations() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            // when / then
            #expect(try await assessor.get("/cycles/2022/recommendations").status == .ok)
        }
    }

    @Test func theCoordinatorEntersThisYearsLetter() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let saved = try await kominfo.post("/cycles/2022/recommendations", ["kind": "recommendation", "text": "Integrasikan data quick win.", "agency": ""])
            // then
            #expect(saved.status == .seeOther)
            #expect(try await Recommendation.query(on: app.db).count() == 6)
        }
    }

    @Test func aLetterEntryOfAnUnknownKindAndWithoutTextIsRefused() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.post("/cycles/2022/recommendations", ["kind": "odd", "text": ""]).status == .unprocessableEntity)
            #expect(try await Recommendation.query(on: app.db).count() == 5)
        }
    }

    @Test func anAgencyCannotEnterTheLetter() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("/cycles/2022/recommendations", ["kind": "strength", "text": "x"]).status == .forbidden)
            #expect(try await Recommendation.query(on: app.db).count() == 5)
        }
    }

    @Test func aRecommendationBecomesItsAgencysActionItem() async throws {
        try await withPilar { app in
            // given
            let own = try await dlhsRecommendation(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let made = try await kominfo.post("\(followUpPath(own))/action", ["due_on": "2030-03-31", "back": "/cycles/2022/recommendations"])
            // then
            #expect(made.status == .seeOther)
            let item = try #require(try await ActionItem.query(on: app.db).filter(\.$recommendation.$id == own.id!).first())
            #expect(item.dueOn == "2030-03-31")
            #expect(try await dlh.get("/cycles/2022/recommendations").body.string.contains(item.title))
            #expect(try await ActionItem.query(on: app.db).filter(\.$recommendation.$id == own.id!).count() == 1)
        }
    }

    @Test func anItemDueOnAnImpossibleDayIsRefused() async throws {
        try await withPilar { app in
            // given
            let own = try await dlhsRecommendation(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.post("\(followUpPath(own))/action", ["due_on": "2030-02-30"]).status == .unprocessableEntity)
            #expect(try await ActionItem.query(on: app.db).filter(\.$recommendation.$id == own.id!).count() == 0)
        }
    }

    @Test func anAgencyCannotTurnARecommendationIntoAnItem() async throws {
        try await withPilar { app in
            // given
            let own = try await dlhsRecommendation(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("\(followUpPath(own))/action", [:]).status == .forbidden)
            #expect(try await ActionItem.query(on: app.db).filter(\.$recommendation.$id == own.id!).count() == 0)
        }
    }
}
