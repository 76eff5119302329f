import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("The plans API")
struct PlansAPITests {
    func json(_ b: Browser, _ path: String) async throws -> Any {
        let r = try await b.get(path)
        #expect(r.status == .ok, "\(path): \(r.status)")
        return try JSONSerialization.jsonObject(with: Data(buffer: r.body))
    }

    @Test func theProgrammesComeWithTheirKPIs() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let programmes = try #require(try await json(kominfo, "/api/v1/programmes") as? [[String: Any]])
            // then
            #expect(programmes.count == 6)
            let bank = try #require(programmes.first { ($0["title"] as? String)?.hasPrefix("Bank Sampah") == true })
            #expect(bank["horizon"] as? String == "quick_win")
            #expect(bank["pillar"] as? String == "environment")
            #expect(bank["owner_agency"] as? String == "DLH")
            #expect(bank["quick_win_year"] as? Int == 2022)
            #expect(bank["progress"] as? Int == 65)
            let kpis = try #require(bank["kpis"] as? [[String: Any]])
            #expect(kpis.map { $0["name"] as? String } == ["Bank sampah", "Bank sampah aktif", "Nasabah", "Sampah terkumpul per bulan"])
            #expect((kpis[0]["targets"] as? [Any])?.count == 12)
            #expect((kpis[0]["realisations"] as? [Any])?.count == 9)
            #expect(bank.keys.contains("element") && bank["element"] is NSNull)
        }
    }

    @Test func theCoordinatorGetsEveryActionItem() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let all = try #require(try await json(kominfo, "/api/v1/actions") as? [[String: Any]])
            // then
            #expect(all.count == 4)
        }
    }

    @Test func anAgencyGetsItsOwnActionItemsWithTheirLinksAndUrgency() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let dlhItems = try #require(try await json(dlh, "/api/v1/actions") as? [[String: Any]])
            // then
            #expect(dlhItems.count == 1)
            #expect(dlhItems.first?["assignee_agency"] as? String == "DLH")
            #expect((dlhItems.first?["links"] as? [String: Any])?["indicator"] as? String == "QW.ENV")
            #expect(dlhItems.first?["urgency"] as? String == "overdue")
        }
    }

    @Test func theMeetingsComeWithTheirDecisionsAndWhoCame() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let meetings = try #require(try await json(kominfo, "/api/v1/meetings") as? [[String: Any]])
            // then
            #expect(meetings.first?["held_on"] as? String == "2022-09-29")
            #expect((meetings.first?["decisions"] as? [[String: Any]])?.count == 4)
            #expect((meetings.first?["present"] as? [String])?.contains("DINKES") == true)
        }
    }

    @Test func theRecommendationsAreAnsweredForAKnownCycleOnly() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let recs = try #require(try await json(kominfo, "/api/v1/cycles/2021/recommendations") as? [[String: Any]])
            // then
            #expect(recs.count == 5)
            #expect(try await kominfo.get("/api/v1/cycles/1999/recommendations").status == .notFound)
        }
    }

    @Test func theInboxCountsWhatIsUnread() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let inbox = try #require(try await json(dlh, "/api/v1/inbox") as? [String: Any])
            // then
            #expect(inbox["unread"] as? Int == 1)
        }
    }

    @Test func theAdminAndVisitorsAreRefused() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            for path in ["/api/v1/programmes", "/api/v1/actions", "/api/v1/meetings", "/api/v1/cycles/2021/recommendations"] {
                // when / then
                #expect(try await admin.get(path).status == .forbidden, "\(path)")
                #expect(try await Browser(app).get(path).status == .unauthorized, "\(path)")
            }
        }
    }

    @Test func theAssessorReadsProgrammesButNotActionItems() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            // when / then
            #expect(try await assessor.get("/api/v1/programmes").status == .ok)
            #expect(try await assessor.get("/api/v1/actions").status == .forbidden)
        }
    }

    @Test func anotherRegionSeesNoneOfKedirisPlans() async throws {
        try await withPilar { app in
            // given
            try await OtherRegion.create(app)
            let other = try await Browser.signedIn(app, OtherRegion.coordinator)
            // when / then
            #expect((try await json(other, "/api/v1/programmes") as? [Any])?.isEmpty == true)
            #expect((try await json(other, "/api/v1/actions") as? [Any])?.isEmpty == true)
            #expect((try await json(other, "/api/v1/meetings") as? [Any])?.isEmpty == true)
            #expect(try await other.get("/api/v1/cycles/2021/recommendations").status == .notFound)
        }
    }
}
