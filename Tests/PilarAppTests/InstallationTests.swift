import Fluent
import SQLKit
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The installation: its operator creates regions and their admins, and reviewers compare the
/// regions the operator gave them.
@Suite("Installation: operator, regions and reviewers")
struct InstallationTests {
    static let operatorPassword = "sandi-operator-2022"

    /// The operator of a fresh installation (as the first start makes it).
    static func makeOperator(_ app: Application) async throws {
        try await Accounts.create(app: app, on: app.db, region: nil, agency: nil, username: "admin", displayName: "Operator",
                                  role: .operator, password: operatorPassword)
    }

    static let madiun: [String: String] = [
        "name": "Kota Madiun", "code": "kota-madiun", "kind": "kota", "province": "Jawa Timur", "time_zone": "Asia/Jakarta",
        "admin_username": "admin", "admin_name": "Admin Kota Madiun",
    ]

    static func issuedPassword(_ html: String) -> String? {
        guard let start = html.range(of: #"<code class="password">"#), let end = html.range(of: "</code>", range: start.upperBound..<html.endIndex)
        else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func aFirstStartWithoutTheDemoHasAnOperatorAndNoRegion() async throws {
        try await withPilar(demo: false) { app in
            var config = app.config
            config.seedDemo = false
            config.adminPassword = Self.operatorPassword
            app.config = config
            // when Pilar starts on an empty database
            let lines = try await Startup.prepare(app)
            // then there is the operator and no region, and the first page asks for one
            #expect(lines.first?.contains("Sign in to create the first region") == true)
            #expect(try await Region.query(on: app.db).count() == 0)
            let op = try await Browser.signedIn(app, ("admin", Self.operatorPassword))
            let home = try await op.get("/")
            #expect(home.status == .seeOther && home.headers.first(name: .location) == "/operator/regions")
            let page = try await op.get("/operator/regions").body.string
            #expect(page.contains("Wilayah pertama") && page.contains("Buat wilayah"))
            // and a second start creates nothing more
            #expect(try await Startup.prepare(app).isEmpty)
        }
    }

    @Test func anInstallationWithoutAnOperatorGetsOneOnItsNextStart() async throws {
        // given the demo seeded from the command line (its users, no operator), and an old region admin called "admin"
        try await withPilar { app in
            var config = app.config
            config.adminPassword = Self.operatorPassword
            app.config = config
            let kediri = try #require(try await Region.query(on: app.db).first())
            try await Accounts.create(app: app, on: app.db, region: kediri, agency: nil, username: "admin", displayName: "Admin lama",
                                      role: .admin, password: "sandi-admin-lama")
            // when Pilar starts, the operator is made under the next free name, once
            let lines = try await Startup.prepare(app)
            #expect(lines.first == "Created the installation's operator 'operator' (creates regions and their admins).")
            let op = try #require(try await User.query(on: app.db).filter(\.$role == .operator).first())
            #expect(op.username == "operator" && op.$homeRegion.id == nil)
            #expect(try await User.query(on: app.db).filter(\.$username == "admin").first()?.role == .admin)
            #expect(try await Startup.prepare(app).isEmpty)
            let home = try await Browser.signedIn(app, ("operator", Self.operatorPassword)).get("/")
            #expect(home.headers.first(name: .location) == "/operator/regions")
        }
    }

    @Test func theOperatorCreatesARegionAndItsAdminWhoSignsIn() async throws {
        try await withPilar(demo: false) { app in
            try await Self.makeOperator(app)
            let op = try await Browser.signedIn(app, ("admin", Self.operatorPassword))
            try await op.get("/operator/regions")
            // when the operator creates Kota Madiun with its admin
            let created = try await op.post("/operator/regions", Self.madiun)
            #expect(created.status == .created)
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let html = created.body.string
            #expect(html.contains("kota-madiun.admin") && html.contains("Kota Madiun"))
            let password = try #require(Self.issuedPassword(html))
            // then the region has its six pillars, its creation is in its trail, the admin belongs to it
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-madiun").first())
            #expect(try await Pillar.query(on: app.db).filter(\.$region.$id == region.requireID()).count() == 6)
            #expect(region.letterheadGovernment == "PEMERINTAH KOTA MADIUN" && region.usernamePrefix == "kota-madiun")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$region.$id == region.requireID()).filter(\.$entity == "region").count() == 4)
            let admin = try #require(try await User.query(on: app.db).filter(\.$username == "kota-madiun.admin").first())
            #expect(admin.role == .admin && admin.$homeRegion.id == region.id && admin.passwordHash != password)
            // and the admin signs in with the slip's password and sets the region up
            let regionAdmin = try await Browser.signedIn(app, ("kota-madiun.admin", password))
            #expect(try await regionAdmin.get("/admin/region").body.string.contains("kota-madiun"))
            // the list shows the region with its admin
            let list = try await op.get("/operator/regions").body.string
            #expect(list.contains("<code>kota-madiun</code>") && list.contains("kota-madiun.admin"))
        }
    }

    @Test func aBadOrTakenRegionIsRefusedByFieldAndNothingIsCreated() async throws {
        try await withPilar { app in
            try await Self.makeOperator(app)
            let op = try await Browser.signedIn(app, ("admin", Self.operatorPassword))
            try await op.get("/operator/regions")
            let before = try await Region.query(on: app.db).count()
            let users = try await User.query(on: app.db).count()
            var bad = Self.madiun
            bad["code"] = "Kota Madiun!"
            bad["kind"] = "desa"
            bad["province"] = " "
            bad["time_zone"] = "Asia/Tokyo"
            bad["admin_username"] = "Adm in"
            let refused = try await op.post("/operator/regions", bad)
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            let t = app.catalog.strings(.id)
            for key in ["region_code_invalid", "region_kind_invalid", "region_time_zone_invalid", "operator_admin_username_invalid", "setup_required"] {
                #expect(html.contains(Charts.escape(t[key])), "\(key)")
            }
            // the demo city's code (and its sign-in prefix) is taken
            var taken = Self.madiun
            taken["code"] = "kota-kediri"
            let twice = try await op.post("/operator/regions", taken)
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains(Charts.escape(t["region_code_taken"])))
            taken["code"] = "kediri"
            #expect(try await op.post("/operator/regions", taken).status == .unprocessableEntity)
            #expect(try await Region.query(on: app.db).count() == before)
            #expect(try await User.query(on: app.db).count() == users)
        }
    }

    @Test func theOperatorReadsNothingInsideARegionAndRegionUsersNothingOfTheInstallation() async throws {
        try await withPilar { app in
            try await Self.makeOperator(app)
            let op = try await Browser.signedIn(app, ("admin", Self.operatorPassword))
            for path in ["/dashboard", "/my/indicators", "/admin/region", "/admin/users", "/cycles/2022/indicators/QW.ENV", "/programmes", "/regions"] {
                #expect([403, 404].contains(try await op.get(path).status.code), "\(path)")
            }
            for user in [Demo.admin, Demo.coordinator, Demo.dlh, Demo.leader] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/operator/regions").status == .forbidden)
                #expect(try await b.post("/operator/regions", Self.madiun).status == .forbidden)
                #expect(try await b.post("/operator/reviewers", ["username": "x.y", "display_name": "X"]).status == .forbidden)
                #expect(try await b.get("/regions").status == .forbidden)
            }
            // and a region's admin cannot make an operator or a reviewer
            let admin = try await Browser.signedIn(app, Demo.admin)
            try await admin.get("/admin/users")
            for role in ["operator", "reviewer"] {
                let r = try await admin.post("/admin/users", ["username": "boss-\(role)", "display_name": "Boss", "role": role, "agency": ""])
                #expect(r.status == .unprocessableEntity)
            }
            #expect(try await User.query(on: app.db).filter(\.$role ~~ [.operator, .reviewer]).count() == 1)
            #expect(try await Region.query(on: app.db).filter(\.$code == "kota-madiun").count() == 0)
        }
    }

    @Test func aReviewerSeesExactlyItsRegionsAndOpensThemReadOnly() async throws {
        try await withPilar { app in
            // given three regions: the demo city, its twin and a third without a grant
            _ = try await DemoSeed.load(app, code: "kota-kembar", name: "Kota Kembar", userPrefix: "kembar")
            _ = try await DemoSeed.load(app, code: "kota-ketiga", name: "Kota Ketiga", userPrefix: "ketiga")
            try await Self.makeOperator(app)
            let op = try await Browser.signedIn(app, ("admin", Self.operatorPassword))
            try await op.get("/operator/reviewers")
            // when the operator makes a reviewer for the first two
            let made = try await op.post("/operator/reviewers", pairs: [
                ("username", "jatim.kominfo"), ("display_name", "Diskominfo Jawa Timur"),
                ("regions[]", "kota-kediri"), ("regions[]", "kota-kembar"),
            ])
            #expect(made.status == .created)
            let password = try #require(Self.issuedPassword(made.body.string))
            // a name with a region's prefix, or an unknown region, is refused
            let prefixed = try await op.post("/operator/reviewers", pairs: [("username", "kediri.spy"), ("display_name", "Spy")])
            #expect(prefixed.status == .unprocessableEntity)
            #expect(prefixed.body.string.contains("tidak boleh diawali &quot;kediri.&quot;"))
            let unknown = try await op.post("/operator/reviewers", pairs: [("username", "pusat"), ("display_name", "Pusat"), ("regions[]", "nowhere")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(try await User.query(on: app.db).filter(\.$role == .reviewer).count() == 1)

            let reviewer = try await Browser.signedIn(app, ("jatim.kominfo", password))
            let home = try await reviewer.get("/")
            #expect(home.headers.first(name: .location) == "/regions")
            // then its comparison lists exactly its regions, with their scores
            let page = try await reviewer.get("/regions").body.string
            #expect(page.contains("Kota Kediri") && page.contains("Kota Kembar") && !page.contains("Kota Ketiga"))
            #expect(page.contains("Indeks terverifikasi") && page.contains("aria-sort=\"ascending\""))
            let sorted = try await reviewer.get("/regions?sort=verified&dir=desc").body.string
            #expect(sorted.contains("aria-sort=\"descending\""))
            // a region not given, or guessed, cannot be opened
            #expect(try await reviewer.post("/regions/kota-ketiga/open", [:]).status == .notFound)
            #expect(try await reviewer.post("/regions/nowhere/open", [:]).status == .notFound)
            #expect(try await reviewer.get("/dashboard").status == .forbidden)
            // a given region opens read-only: its pages read, its writes refused
            let opened = try await reviewer.post("/regions/kota-kembar/open", [:])
            #expect(opened.status == .seeOther)
            let dashboard = try await reviewer.get("/dashboard")
            #expect(dashboard.status == .ok && dashboard.body.string.contains("Kota Kembar"))
            #expect(try await reviewer.get("/cycles/2022/indicators/QW.ENV").status == .ok)
            let kembar = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kembar").first())
            let before = try await Assessment.query(on: app.db).all().map { "\($0.id!)\($0.selfLevel ?? -1)\($0.status)" }.sorted()
            let write = try await reviewer.post("/cycles/2022/indicators/QW.ENV", ["self_level": "4", "justification": "x", "action": "save"])
            #expect(write.status == .forbidden)
            #expect(try await reviewer.post("/admin/region", RegionSetupTests.good).status == .forbidden)
            #expect(try await reviewer.post("/actions", ["title": "x"]).status == .forbidden)
            #expect(try await Assessment.query(on: app.db).all().map { "\($0.id!)\($0.selfLevel ?? -1)\($0.status)" }.sorted() == before)
            #expect(try await Region.find(kembar.id, on: app.db)?.name == "Kota Kembar")
            // when the operator takes the region away, the reviewer is out of it on its next request
            let reviewerID = try #require(try await User.query(on: app.db).filter(\.$username == "jatim.kominfo").first()?.requireID())
            try await op.get("/operator/reviewers")
            let saved = try await op.post("/operator/reviewers/\(reviewerID)", pairs: [("regions[]", "kota-kediri"), ("active", "1")])
            #expect(saved.status == .seeOther)
            #expect(try await reviewer.get("/dashboard").status == .forbidden)
            let after = try await reviewer.get("/regions").body.string
            #expect(after.contains("Kota Kediri") && !after.contains("Kota Kembar"))
            // and a deactivated reviewer is signed out
            #expect(try await op.post("/operator/reviewers/\(reviewerID)", pairs: [("regions[]", "kota-kediri")]).status == .seeOther)
            let out = try await reviewer.get("/regions")
            #expect(out.status == .seeOther && (out.headers.first(name: .location) ?? "").hasPrefix("/signin"))
        }
    }
}

@Suite("Set-up checklist on the home page")
struct SetupChecklistTests {
    static func steps(_ html: String) -> (done: Int, todo: Int) {
        (html.components(separatedBy: "<li class=\"done\">").count - 1, html.components(separatedBy: "<li class=\"todo\">").count - 1)
    }

    @Test func aNewRegionsChecklistFollowsTheDataAndLeavesWhenDone() async throws {
        try await withPilar { app in
            // the demo city is set up: no checklist for its admin or coordinator
            for user in [Demo.admin, Demo.coordinator] {
                #expect(!(try await Browser.signedIn(app, user).get("/").body.string.contains("checklist-title")))
            }
            // a new region's admin sees six steps to do
            try await InstallationTests.makeOperator(app)
            let op = try await Browser.signedIn(app, ("admin", InstallationTests.operatorPassword))
            try await op.get("/operator/regions")
            let password = try #require(InstallationTests.issuedPassword(try await op.post("/operator/regions", InstallationTests.madiun).body.string))
            let admin = try await Browser.signedIn(app, ("kota-madiun.admin", password))
            var home = try await admin.get("/").body.string
            #expect(home.contains("Menyiapkan wilayah") && Self.steps(home) == (0, 6))
            #expect(home.contains("href=\"/admin/region\"") && !home.contains("href=\"/admin/cycles\""))
            // when the admin sets the details, adds an agency, marks it and adds users
            var details = RegionSetupTests.good
            details["name"] = "Kota Madiun"
            #expect(try await admin.post("/admin/region", details).status == .seeOther)
            home = try await admin.get("/").body.string
            #expect(Self.steps(home) == (1, 5))
            #expect(try await admin.post("/admin/agencies", ["code": "DISKOMINFO", "name": "Dinas Kominfo", "head_title": ""]).status == .seeOther)
            #expect(Self.steps(try await admin.get("/").body.string) == (1, 5)) // no coordinating agency yet
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-madiun").first())
            let kominfo = try #require(try await Agency.query(on: app.db).filter(\.$region.$id == region.requireID()).first())
            #expect(try await admin.post("/admin/agencies/\(kominfo.requireID())/coordinator", [:]).status == .seeOther)
            #expect(Self.steps(try await admin.get("/").body.string) == (2, 4))
            try await admin.get("/admin/users")
            for (name, role, agency) in [("kominfo", "coordinator", kominfo.id!.uuidString), ("staf", "agency", kominfo.id!.uuidString)] {
                #expect(try await admin.post("/admin/users", ["username": name, "display_name": name, "role": role, "agency": agency]).status == .created)
            }
            home = try await admin.get("/").body.string
            #expect(Self.steps(home) == (3, 3))
            // then the pillars, the cycle and its assignments remain, and when they are done it is gone
            try await admin.get("/admin/pillars")
            for pillar in SmartCityPillar.all {
                #expect(try await admin.post("/admin/pillars/\(pillar.code)", ["lead": kominfo.id!.uuidString]).status == .seeOther)
            }
            #expect(Self.steps(try await admin.get("/").body.string) == (4, 2))
            let model = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
            let cycle = Cycle(regionID: try region.requireID(), year: 2023, instrumentVersionID: try model.requireID(), targetIndex: 3,
                              status: .selfAssessment, evaluationDate: nil)
            try await cycle.create(on: app.db)
            let compiled = try await app.instruments.compiled(model.requireID(), on: app.db)
            for code in compiled.indicatorCodes {
                try await Assessment(cycleID: cycle.requireID(), indicatorCode: code, leadAgencyID: code == compiled.indicatorCodes[0] ? nil : kominfo.id)
                    .create(on: app.db)
            }
            try await Generation.bump(app.db as! any SQLDatabase, region: region.requireID())
            home = try await admin.get("/").body.string
            #expect(Self.steps(home) == (5, 1))
            #expect(home.contains("\(compiled.indicatorCodes.count - 1) dari \(compiled.indicatorCodes.count)"))
            let first = try #require(try await Assessment.query(on: app.db).filter(\.$leadAgency.$id == nil).first())
            first.$leadAgency.id = kominfo.id
            try await first.save(on: app.db)
            try await Generation.bump(app.db as! any SQLDatabase, region: region.requireID())
            #expect(!(try await admin.get("/").body.string.contains("checklist-title")))
        }
    }
}

@Suite("The comparison's rows are written by Swift, escaped")
struct RegionsPageEscapingTests {
    @Test func aHostileRegionNameIsEscapedAndFiguresAreFormatted() async throws {
        try await withPilar { app in
            let kediri = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            kediri.name = #"<script>alert("x")</script> & 'Kediri'"#
            try await kediri.save(on: app.db)
            let reviewer = try await Accounts.create(app: app, on: app.db, region: nil, agency: nil, username: "peninjau",
                                                     displayName: "Peninjau", role: .reviewer, password: "sandi-peninjau-2022")
            try await ReviewerRegion(userID: reviewer.requireID(), regionID: kediri.requireID()).create(on: app.db)
            let html = try await Browser.signedIn(app, ("peninjau", "sandi-peninjau-2022")).get("/regions").body.string
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Kediri&#39;"))
            #expect(html.contains("<td class=\"num\">3,23</td>"))
        }
    }

    @Test func figuresAndEscapes() {
        #expect(Format.decimal("3.23", .id) == "3,23" && Format.decimal("3.23", .en) == "3.23" && Format.decimal("-0.07", .id) == "-0,07")
        #expect(Format.decimal("12", .id) == "12" && Format.decimal(nil, .id) == "–")
        #expect(HTML.escape("Kota Kediri") == "Kota Kediri")
        #expect(HTML.escape(#"a<b>&"c'"#) == "a&lt;b&gt;&amp;&quot;c&#39;")
    }
}
