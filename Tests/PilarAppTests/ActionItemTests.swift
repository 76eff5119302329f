import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Action items and the inbox")
struct ActionItemTests {
    /// BAPENDA's demo item, which DLH may not reach.
    func bapendasItem(_ app: Application) async throws -> ActionItem {
        try #require(try await ActionItem.query(on: app.db).filter(\.$title == "Bahan paparan e-SPTPD untuk Tahap II").first())
    }

    @Test func anAgencySeesItsOwnItemsOverdueFirst() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let mine = try await dlh.get("/actions").body.string
            // then
            #expect(mine.contains("Lengkapi bukti dukung Bank Sampah"))
            #expect(!mine.contains("Bahan paparan e-SPTPD"))
            #expect(mine.contains("Lewat tenggat"))
        }
    }

    @Test func theCoordinatorSeesEveryAgencysItems() async throws {
        try await withPilar { app in
            // when
            let all = try await Browser.signedIn(app, Demo.coordinator).get("/actions").body.string
            // then
            #expect(all.contains("Bahan paparan e-SPTPD") && all.contains("Lengkapi bukti dukung Bank Sampah"))
        }
    }

    @Test func leadershipReadsTheItems() async throws {
        try await withPilar { app in
            // given
            let leader = try await Browser.signedIn(app, Demo.leader)
            // when / then
            #expect(try await leader.get("/actions").status == .ok)
        }
    }

    @Test func theAdminAndTheAssessorMayNotReadTheItems() async throws {
        try await withPilar { app in
            for user in [Demo.admin, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/actions").status == .forbidden)
            }
        }
    }

    @Test func anotherAgencysItemIsOutOfReachByItsId() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let bapenda = try await bapendasItem(app)
            // when / then
            #expect(try await dlh.get("/actions/\(bapenda.id!.uuidString)").status == .forbidden)
            #expect(try await dlh.post("/actions/\(bapenda.id!.uuidString)", ["status": "done", "revision": "0"]).status == .forbidden)
            #expect(try await dlh.post("/actions/\(bapenda.id!.uuidString)/comments", ["body": "x"]).status == .forbidden)
            #expect(try await ActionItem.find(bapenda.id, on: app.db)?.status == .open)
        }
    }

    @Test func theOverdueReminderIsInTheInboxAndCountedOnEveryPage() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let inbox = try await dlh.get("/inbox").body.string
            let home = try await dlh.get("/").body.string
            // then
            #expect(inbox.contains("Lewat tenggat: Lengkapi bukti dukung Bank Sampah"))
            #expect(home.contains("class=\"count\""))
        }
    }

    @Test func anAgencyCannotMakeAnItem() async throws {
        try await withPilar { app in
            // given
            let dlhAgency = try await PlansFixture.agency(app, "DLH")
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("/actions", ["title": "x", "assignee": dlhAgency.id!.uuidString, "priority": "normal"]).status == .forbidden)
            #expect(try await ActionItem.query(on: app.db).filter(\.$title == "x").count() == 0)
        }
    }

    /// The coordinator's own item for DLH, about the indicator IM.ENV and Bank Sampah.
    func theWeighingItem(_ app: Application, _ kominfo: Browser) async throws -> (item: ActionItem, bank: Programme) {
        let dlhAgency = try await PlansFixture.agency(app, "DLH")
        let bank = try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == "environment").first())
        let made = try await kominfo.post("/actions", ["title": "Timbang ulang sampah TPA", "assignee": dlhAgency.id!.uuidString,
                                                       "priority": "high", "due_on": "2030-01-31", "indicator": "im.env",
                                                       "programme": bank.id!.uuidString])
        #expect(made.status == .seeOther)
        let linked = try #require(try await ActionItem.query(on: app.db).filter(\.$title == "Timbang ulang sampah TPA").first())
        return (linked, bank)
    }

    @Test func theCoordinatorMakesAnItemAboutAnIndicatorAndAProgramme() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let (linked, bank) = try await theWeighingItem(app, kominfo)
            // then
            #expect(linked.indicatorCode == "IM.ENV" && linked.$programme.id == bank.id && linked.$cycle.id != nil)
        }
    }

    @Test func anItemAboutAProgrammeShowsOnTheProgrammePage() async throws {
        try await withPilar { app in
            // given
            let (_, bank) = try await theWeighingItem(app, try await Browser.signedIn(app, Demo.coordinator))
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.get("/programmes/\(bank.id!.uuidString)").body.string.contains("Timbang ulang sampah TPA"))
        }
    }

    @Test func anItemAboutAnUnknownIndicatorOrProgrammeIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlhAgency = try await PlansFixture.agency(app, "DLH")
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.post("/actions", ["title": "x", "assignee": dlhAgency.id!.uuidString, "priority": "high", "indicator": "XX.9"]).status == .unprocessableEntity)
            #expect(try await kominfo.post("/actions", ["title": "x", "assignee": dlhAgency.id!.uuidString, "priority": "high", "programme": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await ActionItem.query(on: app.db).filter(\.$title == "x").count() == 0)
        }
    }

    @Test func theCoordinatorsCommentReachesTheAgencysInbox() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let (linked, _) = try await theWeighingItem(app, kominfo)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let commented = try await kominfo.post("/actions/\(linked.id!.uuidString)/comments", ["body": "Mohon foto timbangan."])
            // then
            #expect(commented.status == .seeOther)
            #expect(try await dlh.get("/inbox").body.string.contains("Komentar baru pada: Timbang ulang sampah TPA"))
        }
    }
}

@Suite("Long lists of action items")
struct ActionItemListTests {
    /// 70 open items for DLH (due 2022-01-01 … ), 10 done, 5 without a date; 20 open for DINKES due far ahead.
    func manyItems(_ app: Application) async throws {
        let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
        let agencies = try await Agency.query(on: app.db).filter(\.$region.$id == region.requireID()).all()
        let dlh = try #require(agencies.first { $0.code == "DLH" }), dinkes = try #require(agencies.first { $0.code == "DINKES" })
        for n in 0..<105 {
            let agency = n < 85 ? dlh : dinkes
            let due: String? = n >= 80 && n < 85 ? nil : n < 85 ? String(format: "2022-01-%02d", n % 28 + 1) : "2099-12-31"
            let item = ActionItem(regionID: try region.requireID(), title: String(format: "Butir %03d", n), description: nil,
                                  assigneeID: try agency.requireID(), dueOn: due, priority: .normal, createdBy: "test", at: app.now)
            if n >= 70 && n < 80 { item.status = .done }
            try await item.create(on: app.db)
        }
    }

    @Test func theOpenItemsAreCountedAndPagedFiftyAtATime() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let open = try await kominfo.get("/actions").body.string
            // then: the demo's own two open items are overdue too: 2 + 70 + 5 undated + 20 = 97 open, 72 overdue
            #expect(open.contains("<strong>97</strong> terbuka") && open.contains("72 lewat tenggat"))
            #expect(open.contains("Menampilkan 1–50 dari 97") && open.contains("href=\"/actions?page=2\""))
            #expect(!open.contains("Butir 070") && !open.contains("Butir 080"))
        }
    }

    @Test func overdueItemsComeFirstAndUndatedOnesLast() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let second = try await kominfo.get("/actions?page=2").body.string
            // then: the second page ends with DINKES's far items then the undated
            #expect(second.contains("Menampilkan 51–97 dari 97"))
            let far = try #require(second.range(of: "Butir 104")), undated = try #require(second.range(of: "Butir 080"))
            #expect(far.lowerBound < undated.lowerBound)
        }
    }

    @Test func theOverdueItemsOfOneAgencyArePagedWithTheirFilter() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let overdue = try await kominfo.get("/actions?show=overdue&agency=DLH").body.string
            // then
            #expect(overdue.contains("Menampilkan 1–50 dari 71") && !overdue.contains("Butir 085"))
            #expect(overdue.contains("href=\"/actions?show=overdue&amp;agency=DLH&amp;page=2\""))
        }
    }

    @Test func everyItemOfOneAgencyFitsOnOnePage() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let all = try await kominfo.get("/actions?show=all&agency=DINKES").body.string
            // then
            #expect(all.contains("Butir 085") && !all.contains("Butir 000") && !all.contains("class=\"pager\""))
        }
    }

    @Test func theDownloadLinksCarryTheFilterAndTheDownloadHoldsWhatItSelects() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when
            let overdue = try await kominfo.get("/actions?show=overdue&agency=DLH").body.string
            let csv = try await kominfo.get("/actions/export.csv?show=overdue&agency=DLH").body.string
            let everything = try await kominfo.get("/actions/export.csv?show=all").body.string.split(separator: "\r\n")
            // then
            #expect(overdue.contains("href=\"/actions/export.xlsx?show=overdue&amp;agency=DLH\""))
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == 1 + 71 && lines.dropFirst().allSatisfy { $0.contains(",DLH,") })
            #expect(everything.count == 1 + (try await ActionItem.query(on: app.db).count()))
        }
    }

    @Test func theOldLinkStillShowsTheClosedItems() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.get("/actions?closed=1&agency=DLH&page=2").body.string.contains("Butir 070"))
        }
    }

    @Test func anAgencysFilterCannotReachAnotherAgencysItems() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let dlhUser = try await Browser.signedIn(app, Demo.dlh)
            // when
            let mine = try await dlhUser.get("/actions?agency=DINKES&show=all&page=2").body.string
            // then
            #expect(!mine.contains("Butir 085") && !mine.contains("id=\"f-agency\""))
        }
    }

    @Test func aNonsenseFilterOrPageStillShowsTheList() async throws {
        try await withPilar { app in
            // given
            try await manyItems(app)
            let dlhUser = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlhUser.get("/actions?show=nonsense&page=-4").status == .ok)
        }
    }
}
