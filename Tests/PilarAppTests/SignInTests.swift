import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Sign-in, sign-out, lock-out and CSRF")
struct SignInTests {
    struct Me: Decodable {
        struct Ref: Decodable { var code: String }
        var username: String
        var role: String
        var agency: Ref?
        var region: Ref
    }

    @Test func signInThenMe() async throws {
        try await withPilar { app in
            // given the demo city's Dinas Kesehatan user
            let browser = try await Browser.signedIn(app, Demo.dinkes)
            // when
            let me = try await browser.json(Me.self, "/api/v1/me")
            // then
            #expect(me.username == "kediri.dinkes")
            #expect(me.role == "agency")
            #expect(me.agency?.code == "DINKES")
            #expect(me.region.code == "kota-kediri")
        }
    }

    @Test func wrongPasswordIsRefusedWithAMessage() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            let response = try await browser.post("/signin", ["username": "kediri.dinkes", "password": "wrong-password"])
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("Nama pengguna atau kata sandi salah"))
            #expect(response.body.string.contains("value=\"kediri.dinkes\""))
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
            // an unknown user gets the same answer
            let unknown = try await browser.post("/signin", ["username": "nobody", "password": "whatever1"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.string.contains("Nama pengguna atau kata sandi salah"))
        }
    }

    @Test func emptyFieldsAreNamed() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            let response = try await browser.post("/signin", ["username": "", "password": ""])
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("Isi nama pengguna dan kata sandi."))
        }
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            for _ in 0..<app.config.maxFailedSignIns {
                let r = try await browser.post("/signin", ["username": "kediri.dlh", "password": "not-it-123"])
                #expect(r.status == .unauthorized)
            }
            // then even the right password is refused for now, with the answer an unknown name gets
            let locked = try await browser.post("/signin", ["username": "kediri.dlh", "password": Demo.dlh.1])
            #expect(locked.status == .unauthorized)
            #expect(locked.body.string.contains("dikunci sementara"))
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
            // and when the lock has passed, the right password works again
            let user = try await User.query(on: app.db).filter(\.$username == "kediri.dlh").first()!
            user.lockedUntil = Date().addingTimeInterval(-1)
            try await user.save(on: app.db)
            let ok = try await browser.post("/signin", ["username": "kediri.dlh", "password": Demo.dlh.1])
            #expect(ok.status == .seeOther)
        }
    }

    @Test func signInGivesANewSessionAndFollowsNext() async throws {
        try await withPilar { app in
            // given a visitor who chose English (which needs a session)
            let browser = Browser(app)
            try await browser.get("/signin")
            try await browser.post("/lang", ["lang": "en", "back": "/signin"])
            let before = browser.cookies["pilar-session"]
            #expect(before != nil)
            let response = try await browser.post("/signin", [
                "username": Demo.coordinator.0, "password": Demo.coordinator.1, "next": "/account/password",
            ])
            #expect(response.headers.first(name: .location) == "/account/password")
            #expect(browser.cookies["pilar-session"] != before)
            // a next that leaves the site is ignored
            let other = Browser(app)
            try await other.get("/signin")
            let evil = try await other.post("/signin", ["username": Demo.leader.0, "password": Demo.leader.1, "next": "//evil.example/"])
            #expect(evil.headers.first(name: .location) == "/")
        }
    }

    @Test func deactivatedUserCannotSignInAndIsSignedOut() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.dlh)
            let user = try await User.query(on: app.db).filter(\.$username == "kediri.dlh").first()!
            user.active = false
            try await user.save(on: app.db)
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
            let again = Browser(app)
            try await again.get("/signin")
            #expect(try await again.post("/signin", ["username": Demo.dlh.0, "password": Demo.dlh.1]).status == .unauthorized)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.leader)
            try await browser.get("/")
            let response = try await browser.post("/signout", [:])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/signin")
            let me = try await browser.get("/api/v1/me")
            #expect(me.status == .unauthorized)
            #expect(me.headers.contentType == .json)
        }
    }

    @Test func formsWithoutTheSessionTokenAreRefused() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            // no token at all
            let missing = try await browser.post("/signin", ["username": Demo.coordinator.0, "password": Demo.coordinator.1], withToken: false)
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("Formulir ini kedaluwarsa"))
            // a token from another session
            let other = Browser(app)
            try await other.get("/signin")
            let forged = try await browser.post("/signin", ["username": Demo.coordinator.0, "password": Demo.coordinator.1], csrf: other.csrf!)
            #expect(forged.status == .forbidden)
            // no session cookie at all
            let stranger = Browser(app)
            let cold = try await stranger.post("/signin", ["username": Demo.coordinator.0, "password": Demo.coordinator.1], csrf: "x")
            #expect(cold.status == .forbidden)
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
            // signed in, sign-out and the language switch need the token too
            let signedIn = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await signedIn.post("/signout", [:], withToken: false).status == .forbidden)
            #expect(try await signedIn.post("/lang", ["lang": "en"], withToken: false).status == .forbidden)
            #expect(try await signedIn.post("/account/password", ["current": Demo.coordinator.1, "new": "abcdefgh1", "confirm": "abcdefgh1"], withToken: false).status == .forbidden)
            #expect(try await signedIn.get("/api/v1/me").status == .ok)
            // the token may also come as a header
            var headers = HTTPHeaders()
            headers.add(name: "X-CSRF-Token", value: signedIn.csrf!)
            headers.contentType = .urlEncodedForm
            let viaHeader = try await signedIn.send(.POST, "/lang", headers: headers, body: ByteBuffer(string: "lang=en&back=/"))
            #expect(viaHeader.status == .seeOther)
        }
    }
}
