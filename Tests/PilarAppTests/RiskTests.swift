import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("The risk register")
struct RiskTests {
    /// Bank Sampah with the risk "Truk pengangkut rusak", owned by DINKES, added by DLH.
    struct Given {
        let bank: Programme
        let dlhAgency: Agency
        let dinkes: Agency
        let dlh: Browser
        let risk: Risk
        var id: String { bank.id!.uuidString }
        var path: String { "/programmes/\(bank.id!.uuidString)/risks/\(risk.id!.uuidString)" }
    }

    func bankAndAgencies(_ app: Application) async throws -> (Programme, Agency, Agency) {
        let bank = try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == "environment").filter(\.$quickWinYear == 2022).first())
        let agencies = try await Agency.query(on: app.db).all()
        let dlhAgency = try #require(agencies.first { $0.code == "DLH" }), dinkes = try #require(agencies.first { $0.code == "DINKES" })
        return (bank, dlhAgency, dinkes)
    }

    func addTheTruckRisk(_ dlh: Browser, _ bank: Programme, owner: Agency) async throws -> TestingHTTPResponse {
        try await dlh.post("/programmes/\(bank.id!.uuidString)/risks", ["risk": "Truk pengangkut rusak", "cause": "armada tua", "likelihood": "2",
                                                                         "impact": "3", "mitigation": "sewa truk", "owner": owner.id!.uuidString])
    }

    func theTruckRisk(_ app: Application) async throws -> Given {
        let (bank, dlhAgency, dinkes) = try await bankAndAgencies(app)
        let dlh = try await Browser.signedIn(app, Demo.dlh)
        #expect(try await addTheTruckRisk(dlh, bank, owner: dinkes).status == .seeOther)
        let risk = try #require(try await Risk.query(on: app.db).filter(\.$risk == "Truk pengangkut rusak").first())
        return Given(bank: bank, dlhAgency: dlhAgency, dinkes: dinkes, dlh: dlh, risk: risk)
    }

    func revise(_ given: Given) async throws -> TestingHTTPResponse {
        try await given.dlh.post(given.path, ["action": "save", "risk": "Truk pengangkut rusak", "cause": "armada tua", "likelihood": "1",
                                              "impact": "3", "mitigation": "sewa truk cadangan", "owner": given.dlhAgency.id!.uuidString])
    }

    /// The truck risk, revised: likelihood down, owner back to DLH.
    func theRevisedTruckRisk(_ app: Application) async throws -> Given {
        let given = try await theTruckRisk(app)
        #expect(try await revise(given).status == .seeOther)
        return given
    }

    @Test func theOwnerAddsARisk() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let added = try await dlh.post("/programmes/\(bank.id!.uuidString)/risks", ["risk": "Hujan deras", "likelihood": "2", "impact": "3"])
            // then
            #expect(added.status == .seeOther)
            #expect(try await Risk.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 2)
        }
    }

    @Test func aLikelihoodOutsideOneToThreeIsRefused() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let refused = try await dlh.post("/programmes/\(bank.id!.uuidString)/risks", ["risk": "x", "likelihood": "4", "impact": "3"])
            // then
            #expect(refused.status == .unprocessableEntity)
            #expect(try await Risk.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 1)
        }
    }

    @Test func anotherAgencyLeadershipAndTheAssessorCannotAddARisk() async throws {
        try await withPilar { app in
            // given
            let bank = try await PlansFixture.bankSampah(app)
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.post("/programmes/\(bank.id!.uuidString)/risks", ["risk": "x", "likelihood": "1", "impact": "1"]).status == .forbidden)
            }
            #expect(try await Risk.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 1)
        }
    }

    @Test func theOwnerAddsARiskOwnedByASupportingAgency() async throws {
        try await withPilar { app in
            // given
            let (bank, _, dinkes) = try await bankAndAgencies(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let added = try await addTheTruckRisk(dlh, bank, owner: dinkes)
            // then
            #expect(added.status == .seeOther)
            let risk = try #require(try await Risk.query(on: app.db).filter(\.$risk == "Truk pengangkut rusak").first())
            #expect(risk.$owner.id == dinkes.id && risk.cause == "armada tua")
        }
    }

    @Test func theProgrammePageOffersTheEditFormFilledWithWhatIsStored() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            // when
            let page = try await given.dlh.get("/programmes/\(given.id)").body.string
            // then
            #expect(page.contains("action=\"\(given.path)\"") && page.contains("value=\"sewa truk\""))
        }
    }

    @Test func theOwnerRevisesARisk() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            // when: likelihood down, owner back to DLH
            let revised = try await revise(given)
            // then
            #expect(revised.status == .seeOther)
            let stored = try #require(try await Risk.find(given.risk.id, on: app.db))
            #expect(stored.likelihood == 1 && stored.mitigation == "sewa truk cadangan" && stored.$owner.id == given.dlhAgency.id)
        }
    }

    @Test func badValuesAreNamedWhatWasTypedIsKeptAndNothingChanges() async throws {
        try await withPilar { app in
            // given
            let given = try await theRevisedTruckRisk(app)
            // when
            let bad = try await given.dlh.post(given.path, ["action": "save", "risk": "", "likelihood": "9", "impact": "3", "mitigation": "<b>x</b>",
                                                            "owner": UUID().uuidString])
            // then
            #expect(bad.status == .unprocessableEntity)
            let body = bad.body.string
            #expect(body.contains("Pilih 1, 2 atau 3.") && body.contains("value=\"&lt;b&gt;x&lt;/b&gt;\""))
            let stored = try #require(try await Risk.find(given.risk.id, on: app.db))
            #expect(stored.risk == "Truk pengangkut rusak" && stored.likelihood == 1)
        }
    }

    @Test func anUnknownActionIsABadRequest() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            // when / then
            #expect(try await given.dlh.post(given.path, ["action": "burn"]).status == .badRequest)
        }
    }

    @Test func aRemovalWithoutTheFormsTokenIsForbidden() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            // when / then
            #expect(try await given.dlh.post(given.path, ["action": "remove"], withToken: false).status == .forbidden)
            #expect(try await Risk.find(given.risk.id, on: app.db) != nil)
        }
    }

    @Test func anotherAgencyLeadershipAndTheAssessorCannotRemoveARisk() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.post(given.path, ["action": "remove"]).status == .forbidden)
            }
            #expect(try await Risk.find(given.risk.id, on: app.db) != nil)
        }
    }

    @Test func anotherProgrammesPathDoesNotReachTheRisk() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            let other = try #require(try await Programme.query(on: app.db).filter(\.$id != given.bank.id!).first())
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.post("/programmes/\(other.id!.uuidString)/risks/\(given.risk.id!.uuidString)", ["action": "remove"]).status == .notFound)
            #expect(try await Risk.find(given.risk.id, on: app.db) != nil)
        }
    }

    @Test func anotherRegionDoesNotReachTheRisk() async throws {
        try await withPilar { app in
            // given
            let given = try await theTruckRisk(app)
            try await OtherRegion.create(app)
            // when / then
            #expect(try await Browser.signedIn(app, OtherRegion.coordinator).post(given.path, ["action": "remove"]).status == .notFound)
            #expect(try await Risk.find(given.risk.id, on: app.db) != nil)
        }
    }

    @Test func theOwnerRemovesARisk() async throws {
        try await withPilar { app in
            // given
            let given = try await theRevisedTruckRisk(app)
            // when
            let removed = try await given.dlh.post(given.path, ["action": "remove"])
            // then
            #expect(removed.status == .seeOther)
            #expect(try await Risk.find(given.risk.id, on: app.db) == nil)
        }
    }

    @Test func theTrailKeepsWhatARemovedRiskSaid() async throws {
        try await withPilar { app in
            // given
            let given = try await theRevisedTruckRisk(app)
            #expect(try await given.dlh.post(given.path, ["action": "remove"]).status == .seeOther)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let trail = try await AuditEvent.query(on: app.db).filter(\.$field == "risk").filter(\.$action == "delete").all()
            let audit = try await kominfo.get("/audit?q=truk").body.string
            // then
            #expect(trail.count == 1 && trail[0].before?.contains("sewa truk cadangan") == true && trail[0].after == nil)
            #expect(audit.contains("Dihapus: risiko") && !audit.contains("[action_"))
        }
    }
}
