import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Change own password and the language switch")
struct AccountTests {
    @Test func changePassword() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.dinkes)
            try await browser.get("/account/password")
            // wrong current password, short new one: errors next to the fields, nothing changed
            let bad = try await browser.post("/account/password", ["current": "nope", "new": "short", "confirm": "short"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Kata sandi sekarang salah."))
            #expect(bad.body.string.contains("Kata sandi baru minimal 8 karakter."))
            let mismatch = try await browser.post("/account/password", ["current": Demo.dinkes.1, "new": "new-password-1", "confirm": "new-password-2"])
            #expect(mismatch.body.string.contains("Kedua kata sandi baru tidak sama."))
            // when
            let ok = try await browser.post("/account/password", ["current": Demo.dinkes.1, "new": "new-password-1", "confirm": "new-password-1"])
            // then
            #expect(ok.status == .ok)
            #expect(ok.body.string.contains("Kata sandi sudah diubah."))
            let user = try await User.query(on: app.db).filter(\.$username == "kediri.dinkes").first()!
            #expect(user.passwordHash.hasPrefix("$2"))
            #expect(!user.passwordHash.contains("new-password-1"))
            let fresh = Browser(app)
            try await fresh.get("/signin")
            #expect(try await fresh.post("/signin", ["username": Demo.dinkes.0, "password": Demo.dinkes.1]).status == .unauthorized)
            #expect(try await fresh.post("/signin", ["username": Demo.dinkes.0, "password": "new-password-1"]).status == .seeOther)
        }
    }

    @Test func passwordPageNeedsSignIn() async throws {
        try await withPilar { app in
            let response = try await Browser(app).get("/account/password")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/signin?next=/account/password")
        }
    }

    @Test func languageSwitch() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.leader)
            #expect(try await browser.get("/").body.string.contains("Siklus evaluasi 2022"))
            let switched = try await browser.post("/lang", ["lang": "en", "back": "/"])
            #expect(switched.status == .seeOther)
            let page = try await browser.get("/").body.string
            #expect(page.contains("Evaluation cycle 2022"))
            #expect(page.contains("<html lang=\"en\">"))
            #expect(try await browser.post("/lang", ["lang": "fr", "back": "/"]).status == .badRequest)
            // an outside target is not followed
            let away = try await browser.post("/lang", ["lang": "id", "back": "https://evil.example/"])
            #expect(away.headers.first(name: .location) == "/")
        }
    }
}
