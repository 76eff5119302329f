import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Meetings and their decisions")
struct MeetingTests {
    /// The coordinator's "Rapat evaluasi Tahap I" with two decisions, the first for DLH.
    struct Given {
        let kominfo: Browser
        let dinkes: Agency
        let dlhAgency: Agency
        /// The meeting page's path.
        let path: String
        let decision: MeetingDecision
        var actionPath: String { "\(path)/decisions/\(decision.id!.uuidString)/action" }
    }

    func recordTheMeeting(_ kominfo: Browser, dinkes: Agency, dlh: Agency) async throws -> TestingHTTPResponse {
        try await kominfo.post("/meetings", pairs: [
            ("title", "Rapat evaluasi Tahap I"), ("held_on", "2022-10-07"), ("starts_at", "13:30"), ("place", "Ruang Joyoboyo"),
            ("chair", "Kepala Diskominfo"), ("invited[]", dinkes.id!.uuidString), ("invited[]", dlh.id!.uuidString),
            ("present[]", dlh.id!.uuidString), ("minutes", "Paparan berjalan baik."),
            ("decisions", "DLH mengunggah data tonase Oktober.\nDinkes menyiapkan video Home Care."),
        ])
    }

    func theMeeting(_ app: Application) async throws -> Given {
        let kominfo = try await Browser.signedIn(app, Demo.coordinator)
        let dinkes = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
        let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
        let created = try await recordTheMeeting(kominfo, dinkes: dinkes, dlh: dlhAgency)
        #expect(created.status == .seeOther)
        let path = try #require(created.headers.first(name: .location))
        let decision = try #require(try await MeetingDecision.query(on: app.db).filter(\.$text == "DLH mengunggah data tonase Oktober.").first())
        return Given(kominfo: kominfo, dinkes: dinkes, dlhAgency: dlhAgency, path: path, decision: decision)
    }

    func makeTheItem(_ given: Given) async throws -> TestingHTTPResponse {
        try await given.kominfo.post(given.actionPath, ["title": "Unggah data tonase Oktober", "assignee": given.dlhAgency.id!.uuidString,
                                                        "due_on": "2022-10-14", "priority": "high"])
    }

    /// The meeting, and its first decision made DLH's action item.
    func theMeetingsItem(_ app: Application) async throws -> (Given, ActionItem) {
        let given = try await theMeeting(app)
        #expect(try await makeTheItem(given).status == .seeOther)
        let item = try #require(try await ActionItem.query(on: app.db).filter(\.$decision.$id == given.decision.id!).first())
        return (given, item)
    }

    /// DLH completes the item (the form's revision is 0).
    func complete(_ dlh: Browser, _ item: ActionItem) async throws -> TestingHTTPResponse {
        try await dlh.post("/actions/\(item.id!.uuidString)", ["status": "done", "revision": "0"])
    }

    /// The minutes written afterwards: DINKES came after all, and one more decision.
    func writeTheMinutes(_ given: Given) async throws -> TestingHTTPResponse {
        try await given.kominfo.post(given.path, pairs: [("title", "Rapat evaluasi Tahap I"), ("held_on", "2022-10-07"),
                                                         ("minutes", "Notulen lengkap."), ("present[]", given.dinkes.id!.uuidString),
                                                         ("decisions", "Bappeda merekap capaian KPI.")])
    }

    @Test func theCoordinatorRecordsAMeetingWithItsDecisions() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dinkes = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            // when
            let created = try await recordTheMeeting(kominfo, dinkes: dinkes, dlh: dlhAgency)
            // then
            #expect(created.status == .seeOther)
            let path = try #require(created.headers.first(name: .location))
            let page = try await kominfo.get(path).body.string
            #expect(page.contains("DLH mengunggah data tonase Oktober."))
            #expect(try await MeetingDecision.query(on: app.db).filter(\.$text == "DLH mengunggah data tonase Oktober.").first() != nil)
        }
    }

    @Test func aMeetingOnAnImpossibleDayOrHourIsRefused() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let before = try await Meeting.query(on: app.db).count()
            // when / then
            #expect(try await kominfo.post("/meetings", ["title": "x", "held_on": "2022-02-30", "starts_at": "25:00"]).status == .unprocessableEntity)
            #expect(try await Meeting.query(on: app.db).count() == before)
        }
    }

    @Test func aDecisionsItemWithoutATitleOrWithAnUnknownAssigneeIsRefused() async throws {
        try await withPilar { app in
            // given
            let given = try await theMeeting(app)
            // when / then
            #expect(try await given.kominfo.post(given.actionPath, ["title": "", "assignee": UUID().uuidString, "priority": "normal"]).status == .unprocessableEntity)
            #expect(try await ActionItem.query(on: app.db).filter(\.$decision.$id == given.decision.id!).count() == 0)
        }
    }

    @Test func aDecisionBecomesTheAgencysActionItemOnce() async throws {
        try await withPilar { app in
            // given
            let given = try await theMeeting(app)
            // when
            let made = try await makeTheItem(given)
            let again = try await given.kominfo.post(given.actionPath, ["title": "lagi", "assignee": given.dlhAgency.id!.uuidString, "priority": "high"])
            // then
            #expect(made.status == .seeOther)
            #expect(again.status == .conflict)
            let items = try await ActionItem.query(on: app.db).filter(\.$decision.$id == given.decision.id!).all()
            let item = try #require(items.first)
            #expect(items.count == 1 && item.title == "Unggah data tonase Oktober")
        }
    }

    @Test func theAgencyFindsTheNewItemInItsInboxAndList() async throws {
        try await withPilar { app in
            // given
            _ = try await theMeetingsItem(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let inbox = try await dlh.get("/inbox").body.string
            let list = try await dlh.get("/actions").body.string
            // then
            #expect(inbox.contains("Tugas baru: Unggah data tonase Oktober"))
            #expect(list.contains("Unggah data tonase Oktober"))
        }
    }

    @Test func theAgencyCommentsOnItsItem() async throws {
        try await withPilar { app in
            // given
            let (_, item) = try await theMeetingsItem(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post("/actions/\(item.id!.uuidString)/comments", ["body": "Sudah diunggah ke QW.ENV"]).status == .seeOther)
        }
    }

    @Test func theAgencyCompletesItsItem() async throws {
        try await withPilar { app in
            // given
            let (_, item) = try await theMeetingsItem(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.post("/actions/\(item.id!.uuidString)/comments", ["body": "Sudah diunggah ke QW.ENV"]).status == .seeOther)
            // when
            let completed = try await complete(dlh, item)
            // then
            #expect(completed.status == .seeOther)
            let done = try #require(try await ActionItem.find(item.id, on: app.db))
            #expect(done.status == .done)
            #expect(done.closedBy?.contains("kediri.dlh") == true)
            #expect(done.closedAt != nil)
        }
    }

    @Test func aSecondStaleChangeIsTold() async throws {
        try await withPilar { app in
            // given: the item completed from a form of revision 0
            let (_, item) = try await theMeetingsItem(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await complete(dlh, item).status == .seeOther)
            // when
            let stale = try await dlh.post("/actions/\(item.id!.uuidString)", ["status": "in_progress", "revision": "0"])
            // then
            #expect(stale.status == .conflict)
            #expect(try await ActionItem.find(item.id, on: app.db)?.status == .done)
        }
    }

    @Test func theCoordinatorSeesTheItemDoneOnTheMeetingPage() async throws {
        try await withPilar { app in
            // given
            let (given, item) = try await theMeetingsItem(app)
            #expect(try await complete(try await Browser.signedIn(app, Demo.dlh), item).status == .seeOther)
            // when / then
            #expect(try await given.kominfo.get(given.path).body.string.contains("Selesai"))
        }
    }

    @Test func theMinutesAreWrittenAfterwardsWithAnotherDecision() async throws {
        try await withPilar { app in
            // given
            let given = try await theMeeting(app)
            let meeting = try #require(try await Meeting.query(on: app.db).filter(\.$title == "Rapat evaluasi Tahap I").first())
            // when
            let saved = try await writeTheMinutes(given)
            // then
            #expect(saved.status == .seeOther)
            #expect(try await Meeting.find(meeting.id, on: app.db)?.minutes == "Notulen lengkap.")
            #expect(try await MeetingDecision.query(on: app.db).filter(\.$meeting.$id == meeting.id!).count() == 3)
            #expect(try await MeetingAgency.query(on: app.db).filter(\.$meeting.$id == meeting.id!).filter(\.$present == true).count() == 1)
        }
    }

    @Test func badMinutesChangeNothing() async throws {
        try await withPilar { app in
            // given: the minutes written
            let given = try await theMeeting(app)
            let meeting = try #require(try await Meeting.query(on: app.db).filter(\.$title == "Rapat evaluasi Tahap I").first())
            #expect(try await writeTheMinutes(given).status == .seeOther)
            // when
            let bad = try await given.kominfo.post(given.path, ["title": "", "held_on": "2022-13-01", "minutes": "hilang?"])
            // then
            #expect(bad.status == .unprocessableEntity)
            #expect(try await Meeting.find(meeting.id, on: app.db)?.minutes == "Notulen lengkap.")
        }
    }

    @Test func agenciesReadMeetingsButNeitherRecordNorChangeThem() async throws {
        try await withPilar { app in
            // given
            let given = try await theMeeting(app)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when / then
            #expect(try await dlh.post(given.path, ["title": "x", "held_on": "2022-10-07"]).status == .forbidden)
            #expect(try await dlh.get(given.path).status == .ok)
            #expect(try await dlh.post("/meetings", ["title": "x", "held_on": "2022-10-07"]).status == .forbidden)
            #expect(try await Meeting.query(on: app.db).filter(\.$title == "x").count() == 0)
        }
    }

    @Test func theAssessorMayNotReadMeetings() async throws {
        try await withPilar { app in
            // given
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            // when / then
            #expect(try await assessor.get("/meetings").status == .forbidden)
        }
    }
}
