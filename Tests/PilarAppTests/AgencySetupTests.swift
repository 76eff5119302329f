import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: agencies")
struct AgencySetupTests {
    func agency(_ app: Application, _ code: String) async throws -> Agency {
        try #require(try await Agency.query(on: app.db).filter(\.$code == code).first())
    }

    func addBPBD(_ admin: Browser) async throws -> TestingHTTPResponse {
        try await admin.post("/admin/agencies", ["code": "bpbd", "name": "Badan Penanggulangan Bencana Daerah",
                                                 "head_title": "Kepala Pelaksana BPBD"])
    }

    /// BPBD, added by the admin; its page's path.
    func theBPBD(_ app: Application, _ admin: Browser) async throws -> (Agency, String) {
        #expect(try await addBPBD(admin).status == .seeOther)
        let added = try await agency(app, "BPBD")
        return (added, "/admin/agencies/\(added.id!.uuidString)")
    }

    func renameBPBD(_ admin: Browser, _ path: String) async throws -> TestingHTTPResponse {
        try await admin.post(path, ["code": "BPBD-KOTA", "name": "BPBD Kota", "head_title": ""])
    }

    @Test func theAdminAndTheCoordinatorSeeTheAgencies() async throws {
        try await withPilar { app in
            for user in [Demo.admin, Demo.coordinator] {
                // when
                let page = try await Browser.signedIn(app, user).get("/admin/agencies")
                // then
                #expect(page.status == .ok)
                #expect(page.body.string.contains("DINKES"))
            }
        }
    }

    @Test func anAgencyLeadershipAndTheAssessorNeitherSeeNorAddAgencies() async throws {
        try await withPilar { app in
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/admin/agencies").status == .forbidden)
                #expect(try await b.post("/admin/agencies", ["code": "DINSOSX", "name": "X"]).status == .forbidden)
            }
            #expect(try await Agency.query(on: app.db).filter(\.$code == "DINSOSX").count() == 0)
        }
    }

    @Test func aNewAgencysCodeTypedInLowerCaseIsStoredInCapitals() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let before = try await Agency.query(on: app.db).count()
            // when
            let created = try await addBPBD(admin)
            // then
            #expect(created.status == .seeOther)
            let satpol = try await agency(app, "BPBD")
            #expect(satpol.headTitle == "Kepala Pelaksana BPBD")
            #expect(try await Agency.query(on: app.db).count() == before + 1)
        }
    }

    @Test func aTakenCodeIsRefusedWithWhatWasTypedKept() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let before = try await Agency.query(on: app.db).count()
            // when
            let taken = try await admin.post("/admin/agencies", ["code": "DINKES", "name": "<Dinas Kedua>"])
            // then
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.body.string.contains("Kode DINKES sudah dipakai"))
            #expect(taken.body.string.contains("value=\"&lt;Dinas Kedua&gt;\""))
            #expect(try await Agency.query(on: app.db).count() == before)
        }
    }

    @Test func anEmptyNameAndABadCodeAreRefused() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let before = try await Agency.query(on: app.db).count()
            // when / then
            #expect(try await admin.post("/admin/agencies", ["code": "A B", "name": ""]).status == .unprocessableEntity)
            #expect(try await Agency.query(on: app.db).count() == before)
        }
    }

    @Test func anAgencyIsChanged() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let (_, path) = try await theBPBD(app, admin)
            // when
            let changed = try await renameBPBD(admin, path)
            // then
            #expect(changed.status == .seeOther)
            #expect(try await agency(app, "BPBD-KOTA").name == "BPBD Kota")
        }
    }

    @Test func aChangeThatWouldTakeAnotherAgencysCodeIsRefused() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let (satpol, path) = try await theBPBD(app, admin)
            #expect(try await renameBPBD(admin, path).status == .seeOther)
            // when
            let clash = try await admin.post(path, ["code": "SATPOLPP", "name": "BPBD"])
            // then
            #expect(clash.status == .unprocessableEntity)
            #expect(try await Agency.find(satpol.id, on: app.db)?.code == "BPBD-KOTA")
        }
    }

    @Test func withoutTheFormsTokenNothingHappens() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            // when / then
            #expect(try await admin.post("/admin/agencies", ["code": "CSRF", "name": "x"], withToken: false).status == .forbidden)
            #expect(try await Agency.query(on: app.db).filter(\.$code == "CSRF").count() == 0)
        }
    }

    @Test func addedAndChangedAgenciesAreInTheAuditTrail() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            // when: an agency added and changed, a change refused
            let (_, path) = try await theBPBD(app, admin)
            #expect(try await renameBPBD(admin, path).status == .seeOther)
            #expect(try await admin.post(path, ["code": "SATPOLPP", "name": "BPBD"]).status == .unprocessableEntity)
            // then
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "agency").count() >= 3)
        }
    }

    @Test func anotherRegionsAgencyCannotBeReachedByItsId() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let (_, foreign) = try await OtherRegion.create(app)
            // when / then
            #expect(try await admin.post("/admin/agencies/\(foreign.id!.uuidString)", ["code": "X1", "name": "x"]).status == .notFound)
            #expect(try await Agency.find(foreign.id, on: app.db)?.code == "DINKES")
        }
    }

    @Test func theAdminMovesTheCoordinatingAgencyAndThereIsAlwaysOne() async throws {
        try await withPilar { app in
            // given the demo's coordinating agency, and BPBD added
            let admin = try await Browser.signedIn(app, Demo.admin)
            let coordinating = try #require(try await Agency.query(on: app.db).filter(\.$isCoordinator == true).first())
            let (bpbd, path) = try await theBPBD(app, admin)
            try await admin.get("/admin/agencies")
            // when BPBD is marked as the coordinating agency
            let marked = try await admin.post(path + "/coordinator", [:])
            // then it is the region's one coordinating agency, and the trail says who it was before
            #expect(marked.status == .seeOther)
            let now = try await Agency.query(on: app.db).filter(\.$region.$id == bpbd.$region.id).filter(\.$isCoordinator == true).all()
            #expect(now.map(\.code) == ["BPBD"])
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$field == "coordinating_agency").first())
            #expect(event.before == coordinating.code && event.after == "BPBD")
            #expect(try await admin.get("/admin/agencies?saved=coordinator").body.string.contains("Perangkat daerah koordinator disimpan"))
            // a second coordinating agency is refused by the database itself
            let other = try await agency(app, "DINKES")
            other.isCoordinator = true
            await #expect(throws: (any Error).self) { try await other.save(on: app.db) }
            #expect(try await Agency.query(on: app.db).filter(\.$region.$id == bpbd.$region.id).filter(\.$isCoordinator == true).count() == 1)
        }
    }

    @Test func onlyTheRegionsAdminMarksTheCoordinatingAgency() async throws {
        try await withPilar { app in
            let dinkes = try await agency(app, "DINKES")
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                try await b.get("/")
                #expect(try await b.post("/admin/agencies/\(dinkes.id!.uuidString)/coordinator", [:]).status == .forbidden)
            }
            // an agency id that is not the region's (or not an agency) is not found
            let admin = try await Browser.signedIn(app, Demo.admin)
            try await admin.get("/admin/agencies")
            #expect(try await admin.post("/admin/agencies/\(UUID().uuidString)/coordinator", [:]).status == .notFound)
            #expect(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first()?.isCoordinator == false)
        }
    }

    @Test func aRegionWithoutACoordinatingAgencySaysSo() async throws {
        try await withPilar { app in
            try await Agency.query(on: app.db).set(\.$isCoordinator, to: false).update()
            let page = try await Browser.signedIn(app, Demo.admin).get("/admin/agencies").body.string
            #expect(page.contains("Belum ada perangkat daerah koordinator"))
        }
    }
}
