import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Answering an indicator: the indicator API follows the page's rules")
struct IndicatorAnswerAPITests: IndicatorSteps {
    /// DLH has submitted QW.ENV at level 4, "Tonase terlampir.", with no evidence.
    func submitted(_ app: Application) async throws -> Browser {
        let dlh = try await Browser.signedIn(app, Demo.dlh)
        let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
        _ = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
            "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Tonase terlampir.", "revision": revision(page),
        ])
        return dlh
    }

    @Test func theAPIGivesTheSubmittedAnswer() async throws {
        try await withPilar { app in
            // given
            let dlh = try await submitted(app)
            // when
            let response = try await dlh.get("/api/v1/cycles/2022/indicators/QW.ENV")
            // then
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            #expect(json["status"] as? String == "submitted")
            #expect(json["self"] as? Double == 4)
            #expect(json["lead_agency"] as? String == "DLH")
            #expect(json["justification"] as? String == "Tonase terlampir.")
            #expect(json["pillar"] as? String == "environment")
        }
    }

    @Test func theAPIGivesTheStatusHistoryAndTheEvidence() async throws {
        try await withPilar { app in
            // given
            let dlh = try await submitted(app)
            // when
            let response = try await dlh.get("/api/v1/cycles/2022/indicators/QW.ENV")
            // then
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            let history = json["status_history"] as! [[String: Any]]
            #expect(history.map { $0["to"] as? String } == ["submitted"])
            #expect((json["evidence"] as! [Any]).isEmpty)
        }
    }

    @Test func anotherAgencyAndSomeoneSignedOutMayNotReadIt() async throws {
        try await withPilar { app in
            // given
            _ = try await submitted(app)
            // when / then
            #expect(try await Browser.signedIn(app, Demo.dinkes).get("/api/v1/cycles/2022/indicators/QW.ENV").status == .forbidden)
            #expect(try await Browser(app).get("/api/v1/cycles/2022/indicators/QW.ENV").status == .unauthorized)
        }
    }

    @Test func anUnknownCodeIsNotFound() async throws {
        try await withPilar { app in
            // given
            let dlh = try await submitted(app)
            // when / then
            #expect(try await dlh.get("/api/v1/cycles/2022/indicators/NOPE").status == .notFound)
        }
    }
}
