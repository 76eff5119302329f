import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The cached pages and cycles are never staler than the data, and a write throws away only the
/// caches of the region it wrote in — also when the write comes from another process.
@Suite("Caches scoped to a region")
struct CacheScopeTests {
    /// Sets Kediri's official index for 2022 behind the application's back (no write transaction),
    /// so a page still showing the old figure proves it came from the cache.
    func setIndexQuietly(_ app: Application, _ score: Double) async throws {
        let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
        try await OfficialResult(cycleID: cycle.requireID(), scope: .index, score: score).create(on: app.db)
    }

    @Test func aWriteInAnotherRegionLeavesThisRegionsCachedDashboard() async throws {
        try await withPilar { app in
            let (other, otherAgency) = try await OtherRegion.create(app)
            let kediri = try #require(try await Region.query(on: app.db).filter(\.$code == DemoSeed.regionCode).first())
            let b = try await Browser.signedIn(app, Demo.coordinator)
            #expect(!(try await b.get("/dashboard").body.string.contains("3,41")))
            try await setIndexQuietly(app, 3.41)
            let kediriBefore = try await Generation.current(app.db, region: kediri.requireID())
            let otherBefore = try await Generation.current(app.db, region: other.requireID())

            // The other region's coordinator writes (a new action item) through the real form.
            let lain = try await Browser.signedIn(app, OtherRegion.coordinator)
            let made = try await lain.post("/actions", ["title": "Rapat koordinasi kota lain", "assignee": otherAgency.id!.uuidString,
                                                         "priority": "normal", "due_on": "2030-01-31"])
            #expect(made.status == .seeOther)
            #expect(try await Generation.current(app.db, region: other.requireID()) == otherBefore + 1)
            #expect(try await Generation.current(app.db, region: kediri.requireID()) == kediriBefore, "Kediri's count is untouched")
            #expect(!(try await b.get("/dashboard").body.string.contains("3,41")), "Kediri's dashboard is still the cached one")

            // A write in Kediri itself makes the next dashboard new.
            _ = try await b.get("/cycles/2022/official")
            #expect(try await b.post("/cycles/2022/official", ["index": "3,42"]).status == .seeOther)
            #expect(try await b.get("/dashboard").body.string.contains("3,42"))
        }
    }

    @Test func aWriteThroughAnotherProcessReachesThisProcesssPages() async throws {
        try await withTwoPilars { first, second in
            let here = try await Browser.signedIn(first, Demo.coordinator)
            let there = try await Browser.signedIn(second, Demo.coordinator)
            let before = try await here.get("/dashboard").body.string
            #expect(!before.contains("3,41"))
            #expect(!(try await here.get("/dashboard").body.string.contains("3,41")), "served from the first process's cache")
            _ = try await there.get("/cycles/2022/official")
            #expect(try await there.post("/cycles/2022/official", ["index": "3,41"]).status == .seeOther)
            #expect(try await here.get("/dashboard").body.string.contains("3,41"), "the other process's write is seen at once")

            // The same for the cycle data behind a page the first process keeps (the review queue)
            // and for the score the API computes from it.
            let queue = try await here.get("/review").body.string
            let code = try #require(try await Assessment.query(on: first.db).filter(\.$status == .submitted).first()).indicatorCode
            #expect(queue.contains("/indicators/\(code)\""), "waiting for review")
            // The indicator's and the score's JSON are encoded once per generation: read twice here.
            for _ in 0..<2 {
                #expect(try await here.get("/api/v1/cycles/2022/indicators/\(code)").body.string.contains(#""status":"submitted""#))
            }
            let scoreBefore = try await here.get("/api/v1/cycles/2022/score").body.string
            #expect(try await here.get("/api/v1/cycles/2022/score").body.string == scoreBefore)
            // What the indicator's page shows everyone (its evidence, its history) is kept per
            // generation too: evidence added through the other process is on it at once.
            #expect(!(try await here.get("/cycles/2022/indicators/\(code)").body.string.contains("Notulen dari proses kedua")))
            _ = try await there.get("/cycles/2022/indicators/\(code)")
            let linked = try await there.post("/cycles/2022/indicators/\(code)/links",
                                              ["url": "https://example.org/notulen", "title": "Notulen dari proses kedua"])
            #expect(linked.status == .seeOther)
            let indicatorPage = try await here.get("/cycles/2022/indicators/\(code)").body.string
            #expect(indicatorPage.contains("Notulen dari proses kedua"))
            #expect(indicatorPage.contains("href=\"https://example.org/notulen\""))
            _ = try await there.get("/cycles/2022/indicators/\(code)")
            let verified = try await there.post("/cycles/2022/indicators/\(code)", [
                "action": "verify", "verified_level": "3", "note": "Diverifikasi dari proses kedua.",
                "revision": String(try #require(try await Assessment.query(on: second.db).filter(\.$indicatorCode == code).first()).revision),
            ])
            #expect(verified.status == .seeOther)
            #expect(!(try await here.get("/review").body.string.contains("/indicators/\(code)\"")), "no longer waiting for review")
            let item = try await here.get("/api/v1/cycles/2022/indicators/\(code)")
            #expect(item.headers.contentType == .json)
            #expect(item.body.string.contains(#""status":"verified""#) && item.body.string.contains(#""verified":3"#))
            #expect(try await here.get("/api/v1/cycles/2022/score").body.string != scoreBefore, "the score follows the writes")
        }
    }

    @Test func theCacheKeepsOnlyEachRegionsNewestGeneration() {
        let cache = GenerationCache<String, Int>()
        let a = UUID(), b = UUID()
        cache.put(region: a, "page", generation: 3, 30)
        cache.put(region: b, "page", generation: 7, 70)
        #expect(cache.get(region: a, "page", generation: 3) == 30)
        #expect(cache.get(region: b, "page", generation: 7) == 70)
        cache.put(region: a, "page", generation: 4, 40)
        #expect(cache.get(region: a, "page", generation: 3) == nil, "an older generation is never served")
        #expect(cache.get(region: b, "page", generation: 7) == 70, "region b's entry survives region a's new generation")
        cache.put(region: a, "page", generation: 3, 31)
        #expect(cache.get(region: a, "page", generation: 4) == 40, "a slow request does not replace a newer entry")
        #expect(cache.get(region: a, "page", generation: -1) == nil)
    }

    @Test func requestsAskingForTheSameMissingEntryShareOneComputation() async throws {
        let cache = GenerationCache<String, Int>()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let region = UUID()
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var n = 0
            func next() -> Int { lock.withLock { n += 1; return n } }
        }
        let made = Counter()
        // when 20 requests ask at once for an entry that takes a while to make
        let values = try await withThrowingTaskGroup(of: Int.self) { tasks in
            for _ in 0..<20 {
                tasks.addTask {
                    try await cache.value(region: region, "dashboard", generation: 5, on: group.next()) {
                        let n = made.next()
                        try await Task.sleep(for: .milliseconds(200))
                        return n * 100
                    }
                }
            }
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        // then it was made once and every request got it
        #expect(made.n == 1)
        #expect(values == Array(repeating: 100, count: 20))
        // a failure reaches the requests that waited, and the next request tries again
        struct Failed: Error {}
        await #expect(throws: Failed.self) {
            try await cache.value(region: region, "dashboard", generation: 6, on: group.next()) { throw Failed() }
        }
        #expect(try await cache.value(region: region, "dashboard", generation: 6, on: group.next()) { 600 } == 600)
        #expect(cache.get(region: region, "dashboard", generation: 5) == nil, "only the newest generation is kept")
        try await group.shutdownGracefully()
    }
}
