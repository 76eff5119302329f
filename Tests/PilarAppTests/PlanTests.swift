import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("The plan to reach the target, and its steps as action items")
struct PlanTests {
    typealias PlanJSON = DashboardTests.PlanJSON

    /// The plan from the verified layer to an index of 3.4.
    func planTo34(_ b: Browser) async throws -> PlanJSON {
        try await b.json(PlanJSON.self, "/api/v1/cycles/2022/plan?layer=verified&target=3.4")
    }

    /// The coordinator turns the chosen steps into action items due 30 September 2022.
    func makeItems(_ b: Browser, _ codes: [String]) async throws -> TestingHTTPResponse {
        try await b.post("/cycles/2022/plan/actions", pairs: [("layer", "verified"), ("target", "3,4"), ("due", "2022-09-30")]
                         + codes.map { ("step[]", $0) })
    }

    @Test func thePlanReachesTheTargetAndCostsWhatItsStepsCost() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let plan = try await planTo34(b)
            // then
            #expect(plan.reaches_target)
            #expect(plan.index_after! >= 3.4 - 1e-9)
            #expect(plan.index_before! < 3.4)
            #expect(plan.effort == plan.steps.reduce(0) { $0 + $1.effort })
        }
    }

    @Test func theStepsAppliedToTheVerifiedLayerReachTheTargetByTheEngine() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let plan = try await planTo34(b)
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            let data = try #require(try await CycleData.load(region: region, year: 2022, on: app.db, library: app.instruments))
            // when
            var values = data.values(.verified)
            for step in plan.steps { values[data.compiled.slot(of: step.code)!] = .score(Double(step.to)) }
            // then
            #expect(ScoringEngine.score(data.compiled, values: values).index! >= 3.4 - 1e-9)
        }
    }

    @Test func aHigherTargetCostsMore() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let plan = try await planTo34(b)
            // when
            let higher = try await b.json(PlanJSON.self, "/api/v1/cycles/2022/plan?target=3,6")
            // then
            #expect(higher.effort > plan.effort)
        }
    }

    @Test func aBadLayerOrTargetIsABadRequestAndAnUnknownCycleIsNotFound() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await b.get("/api/v1/cycles/2022/plan?layer=nope").status == .badRequest)
            #expect(try await b.get("/api/v1/cycles/2022/plan?target=9").status == .badRequest)
            #expect(try await b.get("/api/v1/cycles/2022/plan?target=abc").status == .badRequest)
            #expect(try await b.get("/api/v1/cycles/1999/plan").status == .notFound)
        }
    }

    @Test func anAgencyMayNotReadThePlan() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.get("/api/v1/cycles/2022/plan").status == .forbidden)
        }
    }

    @Test func thePageOffersEveryStepOfThePlan() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let codes = try await planTo34(b).steps.map(\.code)
            // when
            let page = try await b.get("/cycles/2022/plan")
            // then
            #expect(page.status == .ok)
            #expect(codes.allSatisfy { page.body.string.contains("value=\"\($0)\"") })
        }
    }

    @Test func noStepPickedABadDateOrNoTokenStoresNothing() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let codes = try await planTo34(b).steps.map(\.code)
            try await b.get("/cycles/2022/plan")
            let before = try await ActionItem.query(on: app.db).count()
            // when / then
            #expect(try await b.post("/cycles/2022/plan/actions", pairs: [("layer", "verified"), ("target", "3,4")]).status == .badRequest)
            #expect(try await b.post("/cycles/2022/plan/actions", pairs: [("layer", "verified"), ("target", "3,4"), ("due", "2022-02-31")]
                                     + codes.map { ("step[]", $0) }).status == .badRequest)
            #expect(try await b.post("/cycles/2022/plan/actions", ["step[]": codes[0]], withToken: false).status == .forbidden)
            #expect(try await ActionItem.query(on: app.db).count() == before)
        }
    }

    @Test func theChosenStepsBecomeActionItems() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let codes = try await planTo34(b).steps.map(\.code)
            try await b.get("/cycles/2022/plan")
            // when
            let made = try await makeItems(b, codes)
            // then
            #expect(made.status == .seeOther)
            let items = try await ActionItem.query(on: app.db).filter(\.$indicatorCode ~~ codes).filter(\.$dueOn == "2022-09-30").all()
            #expect(items.count == codes.count)
        }
    }

    @Test func stepsSentTwiceAreAssignedOnce() async throws {
        try await withPilar { app in
            // given
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let codes = try await planTo34(b).steps.map(\.code)
            try await b.get("/cycles/2022/plan")
            let before = try await ActionItem.query(on: app.db).count()
            #expect(try await makeItems(b, codes).status == .seeOther)
            // when
            _ = try await makeItems(b, codes)
            // then
            #expect(try await ActionItem.query(on: app.db).count() == before + codes.count)
        }
    }

    @Test func theLeaderReadsThePlanButAssignsNothing() async throws {
        try await withPilar { app in
            // given
            let codes = try await planTo34(try await Browser.signedIn(app, Demo.coordinator)).steps.map(\.code)
            let leader = try await Browser.signedIn(app, Demo.leader)
            // when / then
            #expect(try await leader.get("/cycles/2022/plan").status == .ok)
            #expect(try await leader.post("/cycles/2022/plan/actions", pairs: codes.map { ("step[]", $0) }).status == .forbidden)
        }
    }
}
