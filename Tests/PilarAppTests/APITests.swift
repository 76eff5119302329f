import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("The read API and who may read what")
struct APITests {
    struct CycleRow: Decodable {
        var year: Int
        var instrument: String
        var target: Double?
        var status: String
        var official_index: Double?
    }

    struct IndicatorRow: Decodable {
        var code: String
        var group: String
        var pillar: String?
        var lead_agency: String?
        var target: Double?
        var `self`: Double?
        var verified: Double?
        var status: String
    }

    static let apiPaths = ["/api/v1/me", "/api/v1/cycles", "/api/v1/cycles/2022/score?layer=verified", "/api/v1/cycles/2022/indicators"]

    @Test func everyAPIRouteNeedsSignIn() async throws {
        try await withPilar { app in
            for path in Self.apiPaths {
                let response = try await Browser(app).get(path)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(response.headers.contentType == .json)
                let body = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
                #expect(body["error"] == "Silakan masuk terlebih dahulu.")
            }
            // pages redirect to sign-in instead
            let home = try await Browser(app).get("/")
            #expect(home.status == .seeOther)
            #expect(home.headers.first(name: .location) == "/signin?next=/")
        }
    }

    @Test func cyclesWithTargetsAndOfficialIndices() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.leader)
            let cycles = try await browser.json([CycleRow].self, "/api/v1/cycles")
            #expect(cycles.map(\.year) == [2020, 2021, 2022])
            #expect(cycles.map(\.official_index) == [2.87, 3.06, nil])
            #expect(cycles[2].target == 3.4)
            #expect(cycles[2].instrument == "pilar-model-smart-city-2021")
        }
    }

    @Test func verifiedScoreMatchesHandComputation() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            let response = try await browser.get("/api/v1/cycles/2022/score?layer=verified")
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            // BL (3,3,–)=3; OP (4,3,3,2,–)=3; OC (3,3,3,4,3,3)=19/6; IM (3,4)=3.5; QW (4,3,3,4,3,–)=3.4
            let expected = 0.1 * 3 + 0.2 * 3 + 0.3 * 19 / 6 + 0.2 * 3.5 + 0.2 * 3.4
            #expect(abs((json["index"] as! Double) - expected) < 1e-12)
            #expect(json["display"] as? String == "3.23")
            #expect(json["predicate"] as? String == "Baik")
            #expect(json["year"] as? Int == 2022)
            #expect((json["missing"] as! [String]).sorted() == ["BL.3", "IM.BRD", "IM.ENV", "IM.GOV", "IM.SOC", "OP.5", "QW.ENV"])
            #expect((json["groups"] as! [[String: Any]]).count == 5)
            #expect((json["pillars"] as! [[String: Any]]).count == 6)
            #expect(abs((json["gap"] as! Double) - (3.4 - expected)) < 1e-12)
            // the same JSON as the engine gives for the same values
            let data = try await CycleData.load(region: try await Region.query(on: app.db).first()!, year: 2022,
                                                on: app.db, library: app.instruments)!
            #expect(data.report(.verified).index == json["index"] as? Double)
        }
    }

    @Test func scoreLayersAndBadInput() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            for layer in ScoreLayer.allCases {
                #expect(try await browser.get("/api/v1/cycles/2022/score?layer=\(layer.rawValue)").status == .ok)
            }
            let unknown = try await browser.get("/api/v1/cycles/2022/score?layer=guess")
            #expect(unknown.status == .badRequest)
            #expect(unknown.body.string.contains("Lapisan nilai tidak dikenal"))
            #expect(try await browser.get("/api/v1/cycles/1999/score").status == .notFound)
            #expect(try await browser.get("/api/v1/cycles/abc/indicators").status == .badRequest)
            // a cycle with nothing official yet still answers, with nulls
            let official = try await browser.get("/api/v1/cycles/2022/score?layer=official")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: official.body)) as! [String: Any]
            #expect(json["index"] is NSNull)
            #expect(json["coverage"] as? Double == 0)
        }
    }

    @Test func whoSeesWhichIndicators() async throws {
        try await withPilar { app in
            // coordinator and leadership: all 26
            for user in [Demo.coordinator, Demo.leader] {
                let rows = try await Browser.signedIn(app, user).json([IndicatorRow].self, "/api/v1/cycles/2022/indicators")
                #expect(rows.count == 26)
            }
            // an agency: only what it leads or contributes to
            let dinkes = try await Browser.signedIn(app, Demo.dinkes).json([IndicatorRow].self, "/api/v1/cycles/2022/indicators")
            #expect(dinkes.map(\.code) == ["OC.LIV", "IM.LIV", "QW.LIV"])
            #expect(dinkes.allSatisfy { $0.lead_agency == "DINKES" })
            // the assessor: only what was submitted or verified
            let assessor = try await Browser.signedIn(app, Demo.assessor).json([IndicatorRow].self, "/api/v1/cycles/2022/indicators")
            #expect(assessor.count == 22)
            #expect(assessor.allSatisfy { ["submitted", "verified"].contains($0.status) })
            #expect(!assessor.contains { $0.code == "QW.ENV" || $0.code == "IM.BRD" })
            // the admin manages users, not answers
            #expect(try await Browser.signedIn(app, Demo.admin).get("/api/v1/cycles/2022/indicators").status == .forbidden)
        }
    }

    @Test func selfLayerIsNotForAssessorsOrAdmins() async throws {
        try await withPilar { app in
            for user in [Demo.assessor, Demo.admin] {
                let browser = try await Browser.signedIn(app, user)
                let response = try await browser.get("/api/v1/cycles/2022/score?layer=self")
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("tidak berwenang"))
                #expect(try await browser.get("/api/v1/cycles/2022/score?layer=verified").status == .ok)
            }
            for user in [Demo.coordinator, Demo.dinkes, Demo.leader] {
                #expect(try await Browser.signedIn(app, user).get("/api/v1/cycles/2022/score?layer=self").status == .ok)
            }
        }
    }

    @Test func anotherRegionSeesNothingOfKediri() async throws {
        try await withPilar { app in
            // given a second region with its own coordinator and no cycles
            let region = Region(code: "kota-lain", name: "Kota Lain", kind: "kota", province: "Jawa Tengah",
                                ministryName: "Komdigi", letterheadGovernment: "PEMERINTAH KOTA LAIN",
                                letterheadAgency: "DISKOMINFO", letterheadAddress: "-")
            try await region.create(on: app.db)
            try await Accounts.create(app: app, on: app.db, region: region, agency: nil, username: "lain.kominfo",
                                      displayName: "Koordinator Kota Lain", role: .coordinator, password: "password-lain")
            let browser = try await Browser.signedIn(app, ("lain.kominfo", "password-lain"))
            // then Kediri's cycles are invisible and unreachable
            #expect(try await browser.json([CycleRow].self, "/api/v1/cycles").isEmpty)
            #expect(try await browser.get("/api/v1/cycles/2022/score?layer=verified").status == .notFound)
            #expect(try await browser.get("/api/v1/cycles/2022/indicators").status == .notFound)
            let home = try await browser.get("/").body.string
            #expect(home.contains("Kota Lain"))
            #expect(!home.contains("Kota Kediri"))
            #expect(home.contains("Belum ada siklus evaluasi"))
        }
    }
}
