import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The sign-in, session, redirect, CSRF and export findings of the attack on Pilar.
@Suite("Security: sign-in, sessions, redirects, CSRF, CSV")
struct SecuritySessionTests {
    @Test func parallelWrongPasswordsStillLockTheAccount() async throws {
        try await withPilar { app in
            // given 25 wrong passwords sent at once, each from its own browser
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<25 {
                    group.addTask {
                        let browser = Browser(app)
                        try await browser.get("/signin")
                        return try await browser.post("/signin", ["username": Demo.dlh.0, "password": "salah-\(i)"]).status
                    }
                }
                for try await status in group { #expect(status == .unauthorized) }
            }
            // then the account is locked: the right password is refused, with the answer of a wrong one
            let user = try #require(try await User.query(on: app.db).filter(\.$username == Demo.dlh.0).first())
            #expect(user.lockedUntil.map { $0 > Date() } == true)
            let browser = Browser(app)
            try await browser.get("/signin")
            let right = try await browser.post("/signin", ["username": Demo.dlh.0, "password": Demo.dlh.1])
            #expect(right.status == .unauthorized)
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
        }
    }

    /// The error text of a sign-in answer.
    static func alert(_ html: String) -> String? {
        guard let start = html.range(of: "class=\"alert"), let close = html[start.upperBound...].range(of: ">"),
              let end = html[close.upperBound...].range(of: "</") else { return nil }
        return String(html[close.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func lockedUnknownWrongAndDeactivatedAnswerAlike() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            for _ in 0..<app.config.maxFailedSignIns {
                try await browser.post("/signin", ["username": Demo.leader.0, "password": "bukan-ini-1"])
            }
            let deactivated = try #require(try await User.query(on: app.db).filter(\.$username == Demo.assessor.0).first())
            deactivated.active = false
            try await deactivated.save(on: app.db)
            // when a locked account (right password), an unknown name, a wrong password and a deactivated account sign in
            let answers = [
                try await browser.post("/signin", ["username": Demo.leader.0, "password": Demo.leader.1]),
                try await browser.post("/signin", ["username": "tidak.ada", "password": "apa-saja-1"]),
                try await browser.post("/signin", ["username": Demo.dinkes.0, "password": "bukan-ini-1"]),
                try await browser.post("/signin", ["username": Demo.assessor.0, "password": Demo.assessor.1]),
            ]
            // then each gets the same status and the same words
            #expect(Set(answers.map(\.status)) == [.unauthorized])
            let texts = Set(answers.map { Self.alert($0.body.string) })
            #expect(texts.count == 1)
            #expect(texts.first??.contains("dikunci sementara") == true)
        }
    }

    @Test func oneAddressIsLimitedWhateverTheUsernames() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            for i in 0..<app.config.maxFailedSignInsPerAddress {
                #expect(try await browser.post("/signin", ["username": "coba\(i)", "password": "tebakan-\(i)"]).status == .unauthorized)
            }
            // then even a right password from that address waits, and no account was locked by it
            let blocked = try await browser.post("/signin", ["username": Demo.coordinator.0, "password": Demo.coordinator.1])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("dari alamat ini"))
            let user = try #require(try await User.query(on: app.db).filter(\.$username == Demo.coordinator.0).first())
            #expect(user.lockedUntil == nil)
            #expect(user.failedSignIns == 0)
        }
    }

    @Test func aTabInNextCannotLeaveTheSite() async throws {
        try await withPilar { app in
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            for next in ["/%09/other-host/path", "/%0a/other-host", "/%5Cother-host", "//other-host", "https://other-host/",
                         "/%20/other-host", "javascript:alert(1)"] {
                let r = try await browser.get("/signin?next=\(next)")
                #expect(r.status == .seeOther)
                #expect(r.headers.first(name: .location) == "/", "\(next)")
            }
            #expect(try await browser.get("/signin?next=/dashboard%3Fx%3D1").headers.first(name: .location) == "/dashboard?x=1")
            // the language switch's `back` is held to the same rule
            let lang = try await browser.post("/lang", ["lang": "en", "back": "/\t/other-host/path"])
            #expect(lang.headers.first(name: .location) == "/")
        }
    }

    @Test func changingThePasswordEndsTheOtherSessions() async throws {
        try await withPilar { app in
            // given the same user signed in twice (a second device, or a stolen session)
            let here = try await Browser.signedIn(app, Demo.dinkes)
            let elsewhere = try await Browser.signedIn(app, Demo.dinkes)
            #expect(try await elsewhere.get("/api/v1/me").status == .ok)
            // when the password is changed here
            try await here.get("/account/password")
            let changed = try await here.post("/account/password", ["current": Demo.dinkes.1, "new": "sandi-baru-2022", "confirm": "sandi-baru-2022"])
            #expect(changed.status == .ok)
            // then the other session is signed out and this one goes on
            #expect(try await elsewhere.get("/api/v1/me").status == .unauthorized)
            #expect(try await here.get("/api/v1/me").status == .ok)
        }
    }

    @Test func anonymousPagesStoreNoSession() async throws {
        try await withPilar { app in
            // when 40 visitors look at the public and sign-in pages (one with a made-up session cookie)
            for i in 0..<20 {
                let visitor = Browser(app)
                if i == 0 { visitor.cookies["pilar-session"] = "dibuat-buat" }
                let page = try await visitor.get("/signin")
                #expect(page.status == .ok)
                #expect(visitor.csrf != nil)
                #expect(try await visitor.get("/public/kota-kediri").status == .ok)
            }
            // then no session row was stored
            #expect(try await StoredSession.query(on: app.db).count() == 0)
            // and the sign-in form still works, its token checked against the visitor's cookie
            let visitor = Browser(app)
            try await visitor.get("/signin")
            #expect(visitor.cookies["pilar-csrf"] != nil)
            #expect(try await visitor.post("/signin", ["username": Demo.leader.0, "password": Demo.leader.1]).status == .seeOther)
            #expect(try await StoredSession.query(on: app.db).count() == 1)
            // a form token that is not the cookie's is refused
            let other = Browser(app)
            try await other.get("/signin")
            #expect(try await other.post("/signin", ["username": Demo.leader.0, "password": Demo.leader.1], csrf: Self.altered(other.csrf!)).status == .forbidden)
        }
    }

    /// The token with its first character changed (never to itself, whatever the token begins with).
    static func altered(_ token: String) -> String {
        let first = token.first == "x" ? "y" : "x"
        return first + String(token.dropFirst())
    }

    @Test func theTokenInTheURLCountsOnlyForStreamedUploads() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            try await kominfo.get("/programmes")
            let token = try #require(kominfo.csrf)
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            // a plain form with the token only in its URL is refused
            let plain = try await kominfo.send(.POST, "/inbox/read?_csrf=\(token)", headers: headers, body: ByteBuffer(string: "x=1"))
            #expect(plain.status == .forbidden)
            // an upload route takes it from the URL (and then answers for its body)
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
            let upload = try await kominfo.send(.POST, "/cycles/2022/indicators/QW.ENV/evidence?_csrf=\(token)", headers: headers,
                                                body: EvidenceFixture.multipart(fields: [("title", "Uji")], filename: "uji.pdf", bytes: EvidenceFixture.pdf))
            #expect(upload.status == .seeOther)
        }
    }

    @Test func secureCookiesFollowThePublicAddress() throws {
        let https = try AppConfig.fromEnvironment(["PILAR_PUBLIC_URL": "https://pilar.kedirikota.go.id"], workingDirectory: "/tmp")
        #expect(https.secureCookies)
        let plain = try AppConfig.fromEnvironment([:], workingDirectory: "/tmp")
        #expect(!plain.secureCookies)
        let overridden = try AppConfig.fromEnvironment(["PILAR_PUBLIC_URL": "https://x.go.id", "PILAR_SECURE_COOKIES": "false"], workingDirectory: "/tmp")
        #expect(!overridden.secureCookies)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["PILAR_PUBLIC_URL": "pilar.go.id"], workingDirectory: "/tmp") }
    }

    @Test func csvCellsNeverBecomeFormulas() async throws {
        try await withPilar { app in
            // given an agency's answer and evidence title that Indonesian Excel would read as formulas
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/links", [
                "url": "https://data.example.org/x", "title": "Laporan;=1+1",
            ]).status == .seeOther)
            let a = try #require(try await Assessment.query(on: app.db).filter(\.$indicatorCode == "QW.ENV").first())
            a.justification = "\t=HYPERLINK(\"http://x\")"
            try await a.save(on: app.db)
            // when the coordinator downloads the CSV
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let csv = try await kominfo.get("/cycles/2022/export.csv").body.string
            // then the separator-holding cell is quoted and the formula-like one is quoted and prefixed
            #expect(csv.contains("\"Laporan;=1+1"))
            #expect(csv.contains("\"'\t=HYPERLINK(\"\"http://x\"\")\""))
            #expect(!csv.contains(",Laporan;=1+1"))
        }
    }

    @Test func aRegionsAdminCannotTellWhichNamesAnotherRegionUses() async throws {
        try await withPilar { app in
            // given another region with its coordinator `lain.kominfo`
            let (other, _) = try await OtherRegion.create(app)
            let admin = try await Browser.signedIn(app, Demo.admin)
            try await admin.get("/admin/users")
            // when Kediri's admin adds that name, it becomes a Kediri name and is created
            let created = try await admin.post("/admin/users", ["username": OtherRegion.coordinator.0, "display_name": "Staf", "role": "leader"])
            #expect(created.status == .created)
            #expect(try await User.query(on: app.db).filter(\.$username == "kediri.lain.kominfo").first() != nil)
            // and a name without the prefix gets it; the same name again is taken in Kediri itself
            #expect(try await admin.post("/admin/users", ["username": "dinsos", "display_name": "Staf", "role": "leader"]).status == .created)
            let again = try await admin.post("/admin/users", ["username": "kediri.dinsos", "display_name": "Staf", "role": "leader"])
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("kediri.dinsos sudah dipakai"))
            // the command line cannot put a Kediri-looking name into another region
            await #expect(throws: Accounts.Invalid.self) {
                try await Accounts.create(app: app, on: app.db, region: other, agency: nil, username: "kediri.tamu",
                                          displayName: "Tamu", role: .leader, password: "password-tamu")
            }
        }
    }

    @Test func aVisitorsFormFromAnotherSiteIsRefused() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.replaceOrAdd(name: "Sec-Fetch-Site", value: "same-site")
            let body = "username=\(Demo.leader.0)&password=\(Demo.leader.1)&_csrf=\(browser.csrf!)"
            // a sibling subdomain's form (login CSRF) is refused even with a matching cookie
            #expect(try await browser.send(.POST, "/signin", headers: headers, body: ByteBuffer(string: body)).status == .forbidden)
            headers.replaceOrAdd(name: "Sec-Fetch-Site", value: "same-origin")
            #expect(try await browser.send(.POST, "/signin", headers: headers, body: ByteBuffer(string: body)).status == .seeOther)
        }
    }

    @Test func addressesCountByClientAndIPv6By64() throws {
        #expect(SignInGuard.network("203.0.113.7") == "203.0.113.7")
        #expect(SignInGuard.network("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(SignInGuard.network("2001:DB8::1") == "2001:db8:0:0::/64")
        #expect(SignInGuard.network("::1") == "0:0:0:0::/64")
        #expect(CSRFMiddleware.cookieName(secure: true) == "__Host-pilar-csrf")
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["PILAR_TRUSTED_PROXIES": "nginx"], workingDirectory: "/tmp") }
        #expect(try AppConfig.fromEnvironment(["PILAR_TRUSTED_PROXIES": "127.0.0.1, ::1"], workingDirectory: "/tmp").trustedProxies == ["127.0.0.1", "::1"])
    }
}
