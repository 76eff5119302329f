import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: official scores from the letter")
struct OfficialScoreTests {
    func cycle2022(_ app: Application) async throws -> Cycle {
        try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
    }

    /// The assessor types in the letter's index, one group, one pillar and one indicator.
    func enterTheLetter(_ assessor: Browser) async throws -> TestingHTTPResponse {
        try await assessor.post("/cycles/2022/official", ["index": "3,41", "group_BL": "3.2", "pillar_living": "3.8",
                                                          "indicator_QW.ENV": "3"])
    }

    func clearTheGroup(_ assessor: Browser) async throws -> TestingHTTPResponse {
        try await assessor.post("/cycles/2022/official", ["index": "3,41", "group_BL": ""])
    }

    @Test func theOfficialLinkLeadsToTheCurrentCycle() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            // when
            let current = try await assessor.get("/official")
            // then
            #expect(current.headers.first(name: .location) == "/cycles/2022/official")
            #expect(try await assessor.get("/cycles/2022/official").status == .ok)
        }
    }

    @Test func outOfRangeAndNotANumberStoreNothingAndKeepWhatWasTyped() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            // when
            let bad = try await assessor.post("/cycles/2022/official", ["index": "3,41", "group_BL": "7", "indicator_QW.ENV": "abc"])
            // then
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("value=\"abc\""))
            let cycle = try await cycle2022(app)
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).count() == 0)
        }
    }

    @Test func theLettersScoresAreStored() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            let cycle = try await cycle2022(app)
            // when
            let saved = try await enterTheLetter(assessor)
            // then
            #expect(saved.status == .seeOther)
            let results = try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).all()
            #expect(Set(results.map { "\($0.scope):\($0.scopeCode)=\($0.score)" }) == ["index:=3.41", "group:BL=3.2", "pillar:living=3.8"])
            let qw = try #require(try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == "QW.ENV").first())
            #expect(qw.officialScore == 3)
        }
    }

    @Test func theAPIAnswersTheOfficialLayer() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            #expect(try await enterTheLetter(assessor).status == .seeOther)
            // when
            let api = try await assessor.get("/api/v1/cycles/2022/score?layer=official").body.string
            // then
            #expect(api.contains("\"scored\":1"))
        }
    }

    @Test func clearingAFieldRemovesItsScore() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            let cycle = try await cycle2022(app)
            #expect(try await enterTheLetter(assessor).status == .seeOther)
            // when
            let cleared = try await clearTheGroup(assessor)
            // then
            #expect(cleared.status == .seeOther)
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "official").count() >= 5)
        }
    }

    @Test func theCoordinatorMayEnterThemToo() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.get("/cycles/2022/official").status == .ok)
        }
    }

    @Test func theAdminAnAgencyAndLeadershipMayNot() async throws {
        try await withPilar { app in
            for user in [Demo.admin, Demo.dinkes, Demo.leader] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/cycles/2022/official").status == .forbidden)
                #expect(try await b.post("/cycles/2022/official", ["index": "1"]).status == .forbidden)
            }
            let cycle = try await cycle2022(app)
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).count() == 0)
        }
    }

    @Test func anotherRegionCannotEnterKedirisScores() async throws {
        try await withPilar { app in
            // given: the letter entered and one field cleared
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            let cycle = try await cycle2022(app)
            #expect(try await enterTheLetter(assessor).status == .seeOther)
            #expect(try await clearTheGroup(assessor).status == .seeOther)
            try await OtherRegion.create(app)
            // when / then
            #expect(try await Browser.signedIn(app, OtherRegion.coordinator).post("/cycles/2022/official", ["index": "1"]).status == .notFound)
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).first()?.score == 3.41)
        }
    }
}
