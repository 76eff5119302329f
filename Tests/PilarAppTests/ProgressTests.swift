import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Progress by agency")
struct ProgressTests {
    @Test func laggardsFirstForCoordinatorAndLeadership() async throws {
        try await withPilar { app in
            for user in [Demo.coordinator, Demo.leader] {
                let response = try await Browser.signedIn(app, user).get("/progress")
                #expect(response.status == .ok)
                let html = response.body.string
                // DISBUDPARPORA has sent 1 of 2 (50 %), DISDIK and DLH 2 of 3, DISKOMINFO 6 of 7, the rest all
                let order = ["DISBUDPARPORA", "DISDIK", "DLH", "DISKOMINFO", "BAPENDA"].map { html.range(of: "<strong>\($0)</strong>")!.lowerBound }
                #expect(order == order.sorted())
                #expect(html.contains("50%"))
            }
            for user in [Demo.dinkes, Demo.assessor, Demo.admin] {
                #expect(try await Browser.signedIn(app, user).get("/progress").status == .forbidden)
            }
        }
    }
}
