import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The steps the indicator workflow suites take on DLH's Bank Sampah quick win (QW.ENV, returned in
/// the demo): read a page's revision, read an answer, and the agency's and the coordinator's moves.
protocol IndicatorSteps {}

extension IndicatorSteps {
    /// The revision printed in the page's form ("" when there is none).
    func revision(_ html: String) -> String {
        guard let range = html.range(of: #"name="revision" value="(\d+)""#, options: .regularExpression) else { return "" }
        return String(html[range].split(separator: "\"")[3])
    }

    /// The 2022 answer of an indicator.
    func assessment(_ app: Application, _ code: String) async throws -> Assessment {
        try await Assessment.query(on: app.db).filter(\.$indicatorCode == code).first()!
    }

    /// The agency submits QW.ENV at level 4 from a freshly opened page (no evidence, confirmed).
    @discardableResult
    func agencySubmits(_ dlh: Browser, justification: String = "Data tonase Januari–Agustus dilampirkan.",
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        let page = try await dlh.get("/cycles/2022/indicators/QW.ENV")
        let response = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
            "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": justification,
            "revision": revision(page.body.string),
        ])
        #expect(response.status == .seeOther, sourceLocation: sourceLocation)
        return response
    }

    /// The coordinator returns QW.ENV with a note.
    @discardableResult
    func coordinatorReturns(_ kominfo: Browser, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        let page = try await kominfo.get("/cycles/2022/indicators/QW.ENV")
        let response = try await kominfo.post("/cycles/2022/indicators/QW.ENV", [
            "action": "return", "note": "Tambahkan daftar bank sampah aktif.", "verified_level": "3",
            "revision": revision(page.body.string),
        ])
        #expect(response.status == .seeOther, sourceLocation: sourceLocation)
        return response
    }

    /// The coordinator verifies QW.ENV at level 4.
    @discardableResult
    func coordinatorVerifies(_ kominfo: Browser, sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        let page = try await kominfo.get("/cycles/2022/indicators/QW.ENV")
        let response = try await kominfo.post("/cycles/2022/indicators/QW.ENV", [
            "action": "verify", "verified_level": "4", "note": "Lengkap.", "revision": revision(page.body.string),
        ])
        #expect(response.status == .seeOther, sourceLocation: sourceLocation)
        return response
    }
}
