import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

/// Every page rendered with hostile values shows them as text, never as markup.
@Suite("Pages escape hostile values")
struct HostileValuesTests {
    static let hostile = #"<script>alert("x")</script> & 'q' "dq" Кедири 日本 <b>bold</b>"#
    static let escapedScript = "&lt;script&gt;"

    func assertEscaped(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script>alert"), sourceLocation: sourceLocation)
        #expect(!html.contains("<b>bold</b>"), sourceLocation: sourceLocation)
        #expect(html.contains(Self.escapedScript), sourceLocation: sourceLocation)
        #expect(html.contains("Кедири 日本"), sourceLocation: sourceLocation)
        #expect(html.contains("&amp;"), sourceLocation: sourceLocation)
    }

    func makeHostile(_ app: Application) async throws {
        let region = try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first()!
        region.name = Self.hostile
        region.province = Self.hostile
        try await region.save(on: app.db)
        let user = try await User.query(on: app.db).filter(\.$username == Demo.coordinator.0).first()!
        user.displayName = Self.hostile
        try await user.save(on: app.db)
        // an instrument whose titles are hostile, pinned by the current cycle
        var text = try String(contentsOfFile: app.config.rootDirectory + "/Instruments/model-smart-city-2021.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "id: pilar-model-smart-city-2021", with: "id: hostile-model")
            .replacingOccurrences(of: "title: \"Instrumen Model Evaluasi Smart City (lima dimensi)\"", with: "title: '\(Self.hostile.replacingOccurrences(of: "'", with: "''"))'")
            .replacingOccurrences(of: "title: \"Baseline\"", with: "title: '\(Self.hostile.replacingOccurrences(of: "'", with: "''"))'")
        _ = try await InstrumentLibrary.importInstrument(text, on: app.db, now: app.now)
        for code in ["BL.1", "BL.3", "QW.ENV"] {
            let a = try await Assessment.query(on: app.db).filter(\.$indicatorCode == code).first()!
            a.justification = Self.hostile
            a.verifiedNote = Self.hostile
            try await a.save(on: app.db)
        }
        let agency = try await Agency.query(on: app.db).filter(\.$code == "DLH").first()!
        agency.name = Self.hostile
        agency.code = Self.hostile
        try await agency.save(on: app.db)
        let version = try await InstrumentVersion.query(on: app.db).filter(\.$key == "hostile-model").first()!
        let cycle = try await Cycle.query(on: app.db).filter(\.$year == 2022).first()!
        cycle.$instrumentVersion.id = try version.requireID()
        try await cycle.save(on: app.db)
    }

    @Test func homePage() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            let html = try await browser.get("/").body.string
            assertEscaped(html)
            #expect(html.contains("value=\"\(browser.csrf!)\""))
        }
    }

    @Test func signInPage() async throws {
        try await withPilar { app in
            let browser = Browser(app)
            try await browser.get("/signin")
            let html = try await browser.post("/signin", ["username": Self.hostile, "password": "x", "next": "/\"><script>alert(1)</script>"]).body.string
            #expect(html.contains("Nama pengguna atau kata sandi salah"))
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") || html.contains("&lt;script&gt;alert(&#34;x&#34;)"))
        }
    }

    @Test func passwordPage() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            let html = try await browser.get("/account/password").body.string
            assertEscaped(html)
        }
    }

    @Test func errorPage() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            let response = try await browser.get("/no-such-page/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(response.status == .notFound)
            let html = response.body.string
            #expect(html.contains("Halaman atau data tidak ditemukan."))
            assertEscaped(html)
        }
    }

    @Test func indicatorPage() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            for code in ["BL.1", "QW.ENV"] {
                let response = try await browser.get("/cycles/2022/indicators/\(code)")
                #expect(response.status == .ok)
                assertEscaped(response.body.string)
            }
            // The page is written in Swift: hostile evidence, a hostile search and refused forms
            // with hostile text typed are shown as text too, attributes included.
            let link = try await browser.post("/cycles/2022/indicators/BL.1/links",
                                              ["url": "https://example.org/?q=%22%3E%3Cscript%3E", "title": Self.hostile])
            #expect(link.status == .seeOther)
            let page = try await browser.get("/cycles/2022/indicators/BL.1").body.string
            assertEscaped(page)
            #expect(page.contains(#"<a href="https://example.org/?q=%22%3E%3Cscript%3E" rel="noopener noreferrer nofollow">&lt;script&gt;"#))
            let query = Self.hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let searched = try await browser.get("/cycles/2022/indicators/BL.1?attach_q=\(query)").body.string
            assertEscaped(searched)
            #expect(searched.contains(#"name="attach_q" type="search" value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &quot;dq&quot;"#))
            let refused = try await browser.post("/cycles/2022/indicators/BL.3", ["level": "abc", "justification": Self.hostile,
                                                                                  "revision": "0", "action": "save"])
            #expect(refused.status == .unprocessableEntity)
            assertEscaped(refused.body.string)
            #expect(refused.body.string.contains(#"rows="5">&lt;script&gt;alert(&quot;x&quot;)"#))
            let badLink = try await browser.post("/cycles/2022/indicators/BL.1/links", ["url": "javascript:alert(1)", "title": Self.hostile])
            #expect(badLink.status == .unprocessableEntity)
            assertEscaped(badLink.body.string)
        }
    }

    @Test func workListAndReviewQueue() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            for path in ["/my/indicators", "/review", "/progress"] {
                let response = try await browser.get(path)
                #expect(response.status == .ok)
                assertEscaped(response.body.string)
            }
        }
    }

    @Test func setUpPagesAssignmentsAndOfficialScores() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            // hostile evidence and a hostile pillar name too
            let pillar = try await Pillar.query(on: app.db).filter(\.$code == "living").first()!
            pillar.name = Self.hostile
            try await pillar.save(on: app.db)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            for path in ["/admin/agencies", "/admin/users", "/admin/pillars", "/admin/cycles", "/admin/cycles/2022",
                         "/cycles/2022/assignments", "/cycles/2022/official", "/audit"] {
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(path)")
                assertEscaped(response.body.string)
            }
            // refused forms show what was typed as text
            let typed = try await browser.post("/admin/agencies", ["code": "x", "name": Self.hostile, "head_title": Self.hostile])
            #expect(typed.status == .unprocessableEntity)
            assertEscaped(typed.body.string)
            let official = try await browser.post("/cycles/2022/official", ["index": Self.hostile])
            #expect(official.status == .unprocessableEntity)
            assertEscaped(official.body.string)
        }
    }

    @Test func programmesActionsMeetingsAndRecommendations() async throws {
        try await withPilar { app in
            try await makeHostile(app)
            let programme = try #require(try await Programme.query(on: app.db).first())
            programme.title = Self.hostile
            programme.description = Self.hostile
            try await programme.save(on: app.db)
            let kpi = try #require(try await KPI.query(on: app.db).filter(\.$programme.$id == programme.id!).first())
            kpi.name = Self.hostile
            kpi.unit = Self.hostile
            try await kpi.save(on: app.db)
            let meeting = try #require(try await Meeting.query(on: app.db).first())
            meeting.title = Self.hostile
            meeting.minutes = Self.hostile
            try await meeting.save(on: app.db)
            let item = try #require(try await ActionItem.query(on: app.db).first())
            item.title = Self.hostile
            item.description = Self.hostile
            try await item.save(on: app.db)
            try await ActionComment(itemID: item.id!, author: Self.hostile, body: Self.hostile, at: app.now).create(on: app.db)
            let rec = try #require(try await Recommendation.query(on: app.db).first())
            rec.text = Self.hostile
            rec.followUpNote = Self.hostile
            try await rec.save(on: app.db)
            let browser = try await Browser.signedIn(app, Demo.coordinator)
            for path in ["/programmes", "/programmes/\(programme.id!.uuidString)", "/actions", "/actions/\(item.id!.uuidString)",
                         "/meetings", "/meetings/\(meeting.id!.uuidString)", "/cycles/2022/recommendations"] {
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(path)")
                assertEscaped(response.body.string)
            }
        }
    }
}
