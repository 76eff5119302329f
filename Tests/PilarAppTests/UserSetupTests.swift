import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: users")
struct UserSetupTests {
    func agency(_ app: Application, _ code: String) async throws -> Agency {
        try #require(try await Agency.query(on: app.db).filter(\.$code == code).first())
    }

    func user(_ app: Application, _ username: String) async throws -> User {
        try #require(try await User.query(on: app.db).filter(\.$username == username).first())
    }

    func addStaff(_ admin: Browser, agency: Agency) async throws -> TestingHTTPResponse {
        try await admin.post("/admin/users", ["username": "Kediri.Dinkes2", "display_name": "Staf Dinkes",
                                              "role": "agency", "agency": agency.id!.uuidString])
    }

    /// The password shown on the page after a user is added or reset.
    func shownPassword(_ html: String) throws -> String {
        let range = try #require(html.range(of: #"<code class="password">([^<]+)</code>"#, options: .regularExpression))
        return String(html[range].dropFirst(#"<code class="password">"#.count).dropLast("</code>".count))
    }

    /// A new DINKES user `kediri.dinkes2`, added by the admin, and the password shown for it.
    func theNewStaff(_ app: Application, _ admin: Browser) async throws -> (User, String) {
        let created = try await addStaff(admin, agency: try await agency(app, "DINKES"))
        #expect(created.status == .created)
        return (try await user(app, "kediri.dinkes2"), try shownPassword(created.body.string))
    }

    @Test func theAdminAddsAnAgencyUserAndIsShownTheirPassword() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let dinkes = try await agency(app, "DINKES")
            // when
            let created = try await addStaff(admin, agency: dinkes)
            // then
            #expect(created.status == .created)
            let password = try shownPassword(created.body.string)
            #expect(password.count == 16)
        }
    }

    @Test func theStoredPasswordIsAHashAndTheNewUserSignsInWithTheOneShown() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let (_, password) = try await theNewStaff(app, admin)
            // when
            let stored = try #require(try await User.query(on: app.db).filter(\.$username == "kediri.dinkes2").first())
            let staff = try await Browser.signedIn(app, ("kediri.dinkes2", password))
            // then
            #expect(stored.passwordHash.hasPrefix("$2"))
            #expect(try await staff.get("/my/indicators").status == .ok)
        }
    }

    @Test func badInputIsRefusedAndNothingIsStored() async throws {
        try await withPilar { app in
            // given: kediri.dinkes2 is taken
            let admin = try await Browser.signedIn(app, Demo.admin)
            let dinkes = try await agency(app, "DINKES")
            _ = try await theNewStaff(app, admin)
            let count = try await User.query(on: app.db).count()
            for form in [
                ["username": "kediri.dinkes2", "display_name": "x", "role": "agency", "agency": dinkes.id!.uuidString],
                ["username": "a b", "display_name": "x", "role": "leader"],
                ["username": "kediri.baru", "display_name": "x", "role": "agency"],
                ["username": "kediri.baru", "display_name": "x", "role": "superuser"],
                ["username": "kediri.baru", "display_name": "", "role": "leader"],
                ["username": "kediri.baru", "display_name": "x", "role": "agency", "agency": UUID().uuidString],
            ] {
                // when / then
                #expect(try await admin.post("/admin/users", form).status == .unprocessableEntity, "\(form)")
            }
            #expect(try await User.query(on: app.db).count() == count)
        }
    }

    @Test func theCoordinatorManagesUsersButCannotHandOutTheAdminRole() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.get("/admin/users").status == .ok)
            #expect(try await kominfo.post("/admin/users", ["username": "kediri.admin2", "display_name": "x", "role": "admin"]).status == .unprocessableEntity)
            #expect(try await User.query(on: app.db).filter(\.$username == "kediri.admin2").count() == 0)
        }
    }

    @Test func theCoordinatorCannotTouchTheAdmin() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let adminUser = try #require(try await User.query(on: app.db).filter(\.$username == Demo.admin.0).first())
            // when / then
            #expect(try await kominfo.post("/admin/users/\(adminUser.id!.uuidString)/reset", [:]).status == .forbidden)
            #expect(try await kominfo.post("/admin/users/\(adminUser.id!.uuidString)", ["display_name": "x", "role": "leader", "active": "1"]).status == .forbidden)
            let after = try await user(app, Demo.admin.0)
            #expect(after.passwordHash == adminUser.passwordHash && after.displayName == adminUser.displayName)
        }
    }

    @Test func anAgencyLeadershipAndTheAssessorMayNotManageUsers() async throws {
        try await withPilar { app in
            // given
            let (stored, _) = try await theNewStaff(app, try await Browser.signedIn(app, Demo.admin))
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/admin/users").status == .forbidden)
                #expect(try await b.post("/admin/users/\(stored.id!.uuidString)/reset", [:]).status == .forbidden)
            }
            #expect(try await User.find(stored.id, on: app.db)?.passwordHash == stored.passwordHash)
        }
    }

    @Test func aResetMakesANewPasswordAndSignsTheUserOutEverywhere() async throws {
        try await withPilar { app in
            // given: the new user signed in
            let admin = try await Browser.signedIn(app, Demo.admin)
            let (stored, password) = try await theNewStaff(app, admin)
            let staff = try await Browser.signedIn(app, ("kediri.dinkes2", password))
            // when
            let reset = try await admin.post("/admin/users/\(stored.id!.uuidString)/reset", [:])
            // then
            #expect(reset.status == .ok)
            #expect(try await staff.get("/my/indicators").status == .seeOther)
            #expect(try await Browser(app).post("/signin", ["username": "kediri.dinkes2", "password": password]).status != .seeOther)
        }
    }

    @Test func deactivationSignsTheUserOutAndKeepsThemOut() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let dinkes = try await agency(app, "DINKES")
            let again = try await Browser.signedIn(app, Demo.dinkes)
            let dinkesUser = try #require(try await User.query(on: app.db).filter(\.$username == Demo.dinkes.0).first())
            // when: saved without "active"
            let off = try await admin.post("/admin/users/\(dinkesUser.id!.uuidString)",
                                           ["display_name": "Dinkes", "role": "agency", "agency": dinkes.id!.uuidString])
            // then
            #expect(off.status == .seeOther)
            #expect(try await User.find(dinkesUser.id, on: app.db)?.active == false)
            #expect(try await again.get("/my/indicators").status == .seeOther)
        }
    }

    @Test func nobodyDeactivatesOrDemotesThemselves() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let adminUser = try await user(app, Demo.admin.0)
            let me = adminUser.id!.uuidString
            // when / then
            #expect(try await admin.post("/admin/users/\(me)", ["display_name": "Admin", "role": "admin"]).status == .unprocessableEntity)
            #expect(try await admin.post("/admin/users/\(me)", ["display_name": "Admin", "role": "leader", "active": "1"]).status == .unprocessableEntity)
            #expect(try await User.find(adminUser.id, on: app.db)?.active == true)
        }
    }

    @Test func aResetOfOnesOwnPasswordLeadsToTheAccountPage() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let adminUser = try await user(app, Demo.admin.0)
            // when
            let own = try await admin.post("/admin/users/\(adminUser.id!.uuidString)/reset", [:])
            // then
            #expect(own.headers.first(name: .location) == "/account/password")
            #expect(try await User.find(adminUser.id, on: app.db)?.passwordHash == adminUser.passwordHash)
        }
    }

    @Test func anotherRegionsUserIsOutOfReach() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            try await OtherRegion.create(app)
            let foreign = try #require(try await User.query(on: app.db).filter(\.$username == OtherRegion.coordinator.0).first())
            // when / then
            #expect(try await admin.post("/admin/users/\(foreign.id!.uuidString)/reset", [:]).status == .notFound)
            #expect(try await User.find(foreign.id, on: app.db)?.passwordHash == foreign.passwordHash)
        }
    }

    @Test func theTrailHoldsEachPasswordResetOnce() async throws {
        try await withPilar { app in
            // given
            let admin = try await Browser.signedIn(app, Demo.admin)
            let (stored, _) = try await theNewStaff(app, admin)
            let me = try await user(app, Demo.admin.0)
            // when: one reset, and one of the admin's own (which only leads to the account page)
            #expect(try await admin.post("/admin/users/\(stored.id!.uuidString)/reset", [:]).status == .ok)
            _ = try await admin.post("/admin/users/\(me.id!.uuidString)/reset", [:])
            // then
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "user").filter(\.$field == "password").count() == 1)
        }
    }
}
