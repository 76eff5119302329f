import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("GET /healthz")
struct HealthTests {
    @Test func answersAfterCheckingTheDatabase() async throws {
        try await withPilar(demo: false) { app in
            // when
            let response = try await Browser(app).get("/healthz")
            // then
            #expect(response.status == .ok)
            let body = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
            #expect(body["status"] == "ok")
            #expect(body["database"] == app.config.database.kindName)
        }
    }
}
