import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Sessions in the database")
struct SessionTests {
    @Test func idleSessionExpires() async throws {
        try await withPilar { app in
            // given a signed-in user whose session was last seen longer ago than the idle limit
            let browser = try await Browser.signedIn(app, Demo.leader)
            #expect(try await browser.get("/api/v1/me").status == .ok)
            let key = browser.cookies["pilar-session"]!
            try await StoredSession.query(on: app.db).filter(\.$key == key)
                .set(\.$lastSeen, to: Date().addingTimeInterval(-Double(app.config.sessionIdleSeconds) - 5)).update()
            // then the session is gone
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test func idleSessionsArePrunedAndReadingDoesNotWrite() async throws {
        try await withPilar { app in
            let old = Date().addingTimeInterval(-Double(app.config.sessionIdleSeconds) - 60)
            for i in 0..<5 {
                try await StoredSession(key: "stale-\(i)", data: "{}", lastSeen: old).create(on: app.db)
            }
            // when someone new signs in
            _ = try await Browser.signedIn(app, Demo.leader)
            // then the stale sessions are gone and one new one exists
            #expect(try await StoredSession.query(on: app.db).filter(\.$key ~~ (0..<5).map { "stale-\($0)" }).count() == 0)
            #expect(try await StoredSession.query(on: app.db).count() == 1)
            // and reading pages without changing the session leaves its row as it was
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            let key = browser.cookies["pilar-session"]!
            let before = try await StoredSession.query(on: app.db).filter(\.$key == key).first()!.lastSeen
            try await browser.get("/")
            try await browser.get("/api/v1/cycles")
            let after = try await StoredSession.query(on: app.db).filter(\.$key == key).first()!.lastSeen
            #expect(before == after)
        }
    }

    @Test func sessionIsSharedAcrossRequestsOnlyWithItsCookie() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.dinkes)
            let stolen = Browser(app)
            stolen.cookies["pilar-session"] = "guessed-\(UUID().uuidString)"
            #expect(try await stolen.get("/api/v1/me").status == .unauthorized)
            #expect(try await browser.get("/api/v1/me").status == .ok)
        }
    }
}
