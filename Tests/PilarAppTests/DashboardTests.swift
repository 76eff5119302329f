import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import PilarApp

@Suite("Dashboard, planner, what-if, report and public page")
struct DashboardTests {
    @Test func dashboardForCoordinatorAndLeaderOnly() async throws {
        try await withPilar { app in
            for user in [Demo.coordinator, Demo.leader] {
                let page = try await Browser.signedIn(app, user).get("/dashboard")
                #expect(page.status == .ok, "\(user.0)")
                let html = page.body.string
                #expect(html.contains("aria-labelledby=\"radar-t radar-d\""))
                #expect(html.contains("aria-labelledby=\"dims-t dims-d\""))
                #expect(html.contains("aria-labelledby=\"trend-t trend-d\""))
                #expect(html.contains("Smart Governance"))
                // readiness and overdue items link to the lists behind them
                #expect(html.contains("href=\"/progress\""))
                #expect(html.contains("/cycles/2022/plan"))
                #expect(!html.contains("<script"), "the dashboard needs no script")
            }
            for user in [Demo.dlh, Demo.assessor, Demo.admin] {
                #expect(try await Browser.signedIn(app, user).get("/dashboard").status == .forbidden, "\(user.0)")
            }
            #expect(try await Browser(app).get("/dashboard").status == .seeOther)
        }
    }

    @Test func dashboardFollowsEveryWrite() async throws {
        try await withPilar { app in
            let b = try await Browser.signedIn(app, Demo.coordinator)
            #expect(!(try await b.get("/dashboard").body.string.contains("3,41")))
            #expect(!(try await b.get("/dashboard").body.string.contains("3,41")), "served from the cache")
            _ = try await b.get("/cycles/2022/official")
            #expect(try await b.post("/cycles/2022/official", ["index": "3,41"]).status == .seeOther)
            let after = try await b.get("/dashboard").body.string
            #expect(after.contains("3,41"), "the write invalidated the cached dashboard")
            // the cached page carries each user's own chrome
            let leader = try await Browser.signedIn(app, Demo.leader)
            let page = try await leader.get("/dashboard").body.string
            #expect(page.contains("kediri.pimpinan") || page.contains("Pimpinan"))
            #expect(!page.contains(b.csrf ?? "-"))
        }
    }

    @Test func overdueLinkListsOneAgencysItems() async throws {
        try await withPilar { app in
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let page = try await b.get("/actions?agency=DLH")
            #expect(page.status == .ok)
            let rows = try await ActionItem.query(on: app.db).with(\.$assignee).all()
            for item in rows where item.status == .open || item.status == .inProgress {
                #expect(page.body.string.contains(item.title) == (item.assignee.code == "DLH"), "\(item.title)")
            }
        }
    }

    struct PlanJSON: Decodable {
        struct Step: Decodable { var code: String; var from: Double; var to: Int; var gain: Double; var effort: Int; var agency: String? }
        var steps: [Step]
        var index_before: Double?
        var index_after: Double?
        var effort: Int
        var reaches_target: Bool
    }

    @Test func effortsChangeThePlan() async throws {
        try await withPilar { app in
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let plan = try await b.json(PlanJSON.self, "/api/v1/cycles/2022/plan")
            let first = try #require(plan.steps.first)
            #expect(try await b.post("/cycles/2022/plan/efforts", ["effort_\(first.code)": "0"]).status == .badRequest)
            #expect(try await b.post("/cycles/2022/plan/efforts", ["effort_\(first.code)": "x"]).status == .badRequest)
            #expect(try await b.post("/cycles/2022/plan/efforts", ["effort_\(first.code)": "100"]).status == .seeOther)
            let again = try await b.json(PlanJSON.self, "/api/v1/cycles/2022/plan")
            #expect(!again.steps.contains { $0.code == first.code } || again.effort > plan.effort)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "plan_effort").count() == 1)
            #expect(try await Browser.signedIn(app, Demo.leader).post("/cycles/2022/plan/efforts", ["effort_\(first.code)": "1"]).status == .forbidden)
        }
    }

    @Test func whatIfMovesIndexDimensionsAndPillars() async throws {
        try await withPilar { app in
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let page = try await b.get("/cycles/2022/whatif?l_IM.ECO=5")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("1 perubahan"))
            #expect(html.contains("moved-up"))
            #expect(try await b.get("/cycles/2022/whatif?l_NOPE=3").status == .badRequest)
            #expect(try await b.get("/cycles/2022/whatif?l_IM.ECO=9").status == .badRequest)
            #expect(try await b.get("/cycles/2022/whatif?base=x").status == .badRequest)
            #expect(try await Browser.signedIn(app, Demo.dlh).get("/cycles/2022/whatif").status == .forbidden)
        }
    }

    @Test func reportHasLetterheadPlanAndSignature() async throws {
        try await withPilar { app in
            let page = try await Browser.signedIn(app, Demo.leader).get("/cycles/2022/report")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("PEMERINTAH KOTA KEDIRI") || html.contains("Pemerintah Kota Kediri"))
            #expect(html.contains("class=\"signature\""))
            #expect(html.contains("Kepala "))
            #expect(html.contains("/css/report.css"))
            #expect(try await Browser.signedIn(app, Demo.dinkes).get("/cycles/2022/report").status == .forbidden)
        }
    }

    @Test func theReportIsSignedByTheHeadOfTheCoordinatingAgency() async throws {
        try await withPilar { app in
            // given the admin makes DINKES the coordinating agency
            let admin = try await Browser.signedIn(app, Demo.admin)
            try await admin.get("/admin/agencies")
            let dinkes = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
            #expect(try await admin.post("/admin/agencies/\(dinkes.id!.uuidString)/coordinator", [:]).status == .seeOther)
            // when the report is printed, then its head signs it
            let html = try await Browser.signedIn(app, Demo.leader).get("/cycles/2022/report").body.string
            let signature = try #require(html.range(of: "class=\"signature\"")).upperBound
            #expect(html[signature...].contains(dinkes.headTitle.isEmpty ? "Kepala \(dinkes.name)" : dinkes.headTitle))
            #expect(!html[signature...].contains("Komunikasi"))
        }
    }

    @Test func publicPageShowsOnlyWhatWasPublished() async throws {
        try await withPilar { app in
            let anonymous = Browser(app)
            let page = try await anonymous.get("/public/kota-kediri")
            #expect(page.status == .ok)
            var html = page.body.string
            let programmes = try await Programme.query(on: app.db).all()
            for p in programmes { #expect(html.contains(Charts.escape(p.title)) == p.isPublic, "\(p.title)") }
            #expect(programmes.contains { !$0.isPublic })
            #expect(html.contains("2,87") && html.contains("3,06"))
            // the 2022 cycle's result is not published: entered, then published by the coordinator
            let b = try await Browser.signedIn(app, Demo.coordinator)
            _ = try await b.get("/cycles/2022/official")
            #expect(try await b.post("/cycles/2022/official", ["index": "3,41"]).status == .seeOther)
            html = try await anonymous.get("/public/kota-kediri").body.string
            #expect(!html.contains("3,41"))
            #expect(!html.contains("Terverifikasi") && !html.contains("Penilaian mandiri"))
            #expect(try await Browser.signedIn(app, Demo.dlh).post("/cycles/2022/official/publish", ["public": "1"]).status == .forbidden)
            #expect(try await b.post("/cycles/2022/official/publish", ["public": "1"]).status == .seeOther)
            #expect(try await anonymous.get("/public/kota-kediri").body.string.contains("3,41"))
            #expect(try await anonymous.get("/public/tidak-ada").status == .notFound)
        }
    }
}

@Suite("Exports and the evidence bundle")
struct ExportTests {
    @Test func assessmentExportMatchesTheDatabase() async throws {
        try await withPilar { app in
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let xlsx = try await b.get("/cycles/2022/export.xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.contentType?.description.contains("spreadsheetml") == true)
            let rows = try XLSX.read(Data(buffer: xlsx.body), sheet: "Indikator")
            let assessments = try await Assessment.query(on: app.db).all()
            let cycle2022 = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            let byCode = Dictionary(assessments.filter { $0.$cycle.id == cycle2022.id }.map { ($0.indicatorCode, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(rows.count == 27)
            for row in rows.dropFirst() {
                let code = try #require(row[3])
                let a = byCode[code]
                #expect((row[11].flatMap(Double.init)) == a?.verifiedLevel, "\(code)")
                #expect((row[10].flatMap(Double.init)) == a?.selfLevel, "\(code)")
            }
            let summary = try XLSX.read(Data(buffer: xlsx.body), sheet: "Ringkasan")
            #expect(summary[1][0] == "Indeks")
            #expect(summary[1][5] == "3.23")
            let csv = try await b.get("/cycles/2022/export.csv")
            #expect(csv.status == .ok)
            #expect(csv.body.string.hasPrefix("\u{FEFF}Dimensi,"))
            #expect(csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 27)
            for user in [Demo.dlh, Demo.assessor, Demo.admin] {
                #expect(try await Browser.signedIn(app, user).get("/cycles/2022/export.xlsx").status == .forbidden)
            }
        }
    }

    @Test func listExportsFollowTheReadRules() async throws {
        try await withPilar { app in
            let coordinator = try await Browser.signedIn(app, Demo.coordinator)
            for path in ["/actions/export.xlsx", "/actions/export.csv", "/programmes/export.xlsx", "/programmes/export.csv",
                         "/audit/export.xlsx", "/audit/export.csv"] {
                #expect(try await coordinator.get(path).status == .ok, "\(path)")
            }
            // an agency's action export holds only its own items
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let mine = try XLSX.read(Data(buffer: try await dlh.get("/actions/export.xlsx").body), sheet: nil)
            #expect(mine.count > 1)
            #expect(mine.dropFirst().allSatisfy { $0[1] == "DLH" })
            #expect(try await dlh.get("/audit/export.xlsx").status == .forbidden)
            let programmes = try XLSX.read(Data(buffer: try await dlh.get("/programmes/export.xlsx").body), sheet: "KPI")
            #expect(programmes.count > 100)
            #expect(try await Browser.signedIn(app, Demo.admin).get("/actions/export.csv").status == .forbidden)
        }
    }

    @Test func bundleManifestHashesMatchTheFiles() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let evidence = EvidenceFixture()
            #expect(try await evidence.upload(dlh, code: "QW.ENV", fields: [("title", "Laporan tonase"), ("document_date", "2022-08-01")]).status == .seeOther)
            #expect(try await evidence.upload(dlh, code: "QW.ENV", fields: [("title", "Foto bank sampah")], filename: "foto.png",
                                              contentType: "image/png", bytes: EvidenceFixture.png).status == .seeOther)
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let response = try await b.get("/cycles/2022/evidence.zip")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description == "application/zip")
            let archive = try Archive(data: Data(buffer: response.body), accessMode: .read)
            func read(_ name: String) throws -> Data {
                var out = Data()
                _ = try archive.extract(try #require(archive[name]), consumer: { out.append($0) })
                return out
            }
            #expect(archive["index.html"] != nil)
            let manifest = String(decoding: try read("manifest.csv"), as: UTF8.self)
            let lines = manifest.components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
            #expect(lines.count == 2)
            for line in lines {
                let cells = line.components(separatedBy: ",")
                let path = cells[0], sha = cells[9]
                #expect(path.hasPrefix("QW/QW.ENV/"))
                let bytes = try read(path)
                #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == sha, "\(path)")
            }
            #expect(try await dlh.get("/cycles/2022/evidence.zip").status == .forbidden)
        }
    }
}
