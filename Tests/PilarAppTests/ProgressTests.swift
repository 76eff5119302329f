import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Progress by agency")
struct ProgressTests {
    @Test func laggardsFirstForCoordinatorAndLeadership() async throws {
        try await withPilar { app in
            for user in [Demo.coordinator, Demo.leader] {
                let response = try await Browser.signedIn(app, user).get("/progress")
                #expect(response.status == .ok)
                let html = response.body.string
                // DISBUDPARPORA has sent 1 of 2 (50 %), DISDIK and DLH 2 of 3, DISKOMINFO 6 of 7, the rest all
                let order = ["DISBUDPARPORA", "DISDIK", "DLH", "DISKOMINFO", "BAPENDA"].map { html.range(of: "<strong>\($0)</strong>")!.lowerBound }
                #expect(order == order.sorted())
                #expect(html.contains("50%"))
            }
            for user in [Demo.dinkes, Demo.assessor, Demo.admin] {
                #expect(try await Browser.signedIn(app, user).get("/progress").status == .forbidden)
            }
        }
    }
}

@Suite("The audit trail page")
struct AuditPageTests {
    @Test func coordinatorSearchesTheTrail() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            let revision = String(page[page.range(of: #"name="revision" value="\d+""#, options: .regularExpression)!].split(separator: "\"")[3])
            _ = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "save", "level": "4", "justification": "<b>tonase</b>", "revision": revision])
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let all = try await kominfo.get("/audit").body.string
            #expect(all.contains("QW.ENV"))
            #expect(all.contains("&lt;b&gt;tonase&lt;/b&gt;"))
            #expect(try await kominfo.get("/audit?q=QW.ENV").body.string.contains("kediri.dlh"))
            #expect(try await kominfo.get("/audit?q=OP.9").body.string.contains("Tidak ada perubahan yang cocok."))
            // the search ignores case on both databases and takes % and _ literally
            #expect(try await kominfo.get("/audit?q=qw.env").body.string.contains("kediri.dlh"))
            #expect(try await kominfo.get("/audit?q=KEDIRI.DLH").body.string.contains("QW.ENV"))
            #expect(try await kominfo.get("/audit?q=%25").body.string.contains("Tidak ada perubahan yang cocok."))
            #expect(try await kominfo.get("/audit?q=QW_ENV").body.string.contains("Tidak ada perubahan yang cocok."))
            for user in [Demo.dlh, Demo.leader, Demo.assessor, Demo.admin] {
                #expect(try await Browser.signedIn(app, user).get("/audit").status == .forbidden)
            }
            // nothing in the application changes the trail: every route that mentions it only reads
            // (the page and its exports)
            let routes = app.routes.all.filter { $0.path.map(\.description).joined(separator: "/").contains("audit") }
            #expect(routes.count == 3)
            #expect(routes.allSatisfy { $0.method == .GET })
        }
    }

    @Test func aLongTrailIsPaged() async throws {
        try await withPilar { app in
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            let start = Date(timeIntervalSince1970: 1_600_000_000)
            for n in 0..<120 {
                try await AuditLog.record(at: start.addingTimeInterval(Double(n)), on: app.db, regionID: region.requireID(), cycleID: nil,
                                          entity: "test", key: "ZZ.\(n)", action: "update",
                                          changes: [.init(field: "note", before: nil, after: "catatan \(n)")], actor: nil)
            }
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let first = try await kominfo.get("/audit?q=zz.").body.string
            #expect(first.contains("Menampilkan 1–50 dari 120") && first.contains("Halaman 1 dari 3"))
            #expect(first.contains("ZZ.119") && !first.contains("ZZ.69<"))
            #expect(first.contains("href=\"/audit?q=zz.&amp;page=2\""))
            let third = try await kominfo.get("/audit?q=zz.&page=3").body.string
            #expect(third.contains("Menampilkan 101–120 dari 120") && third.contains("ZZ.0<") && !third.contains("ZZ.20<"))
            // the download holds every matching change, not just the page
            #expect(first.contains("href=\"/audit/export.csv?q=zz.\""))
            let csv = try await kominfo.get("/audit/export.csv?q=zz.").body.string.split(separator: "\r\n")
            #expect(csv.count == 1 + 120)
            // a page past the end shows the last one, a malformed one the first
            #expect(try await kominfo.get("/audit?q=zz.&page=99").body.string.contains("Halaman 3 dari 3"))
            #expect(try await kominfo.get("/audit?q=zz.&page=x").body.string.contains("Halaman 1 dari 3"))
        }
    }
}
