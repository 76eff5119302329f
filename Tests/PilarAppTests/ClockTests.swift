import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// Dates are read from the application's clock, so a test can stand on a known day: here Thursday
/// 29 September 2022, the day of Kota Kediri's coordination meeting.
@Suite("The injected clock: overdue items and the countdown on a pinned day")
struct ClockTests {
    @Test func anItemDueYesterdayIsOverdueAndOneDueTomorrowIsNot() async throws {
        try await withPilar(today: "2022-09-29") { app in
            // given two of DLH's items, due the day before and the day after the pinned day
            let region = try #require(try await Region.query(on: app.db).first())
            let dlh = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            for (title, due) in [("Kirim rekap tonase", "2022-09-28"), ("Unggah SK bank sampah", "2022-09-30")] {
                try await ActionItem(regionID: region.requireID(), title: title, description: nil, assigneeID: dlh.requireID(),
                                     dueOn: due, priority: .normal, createdBy: "uji", at: app.now).create(on: app.db)
            }
            // when the coordinator lists what is overdue
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let overdue = try await kominfo.get("/actions?show=overdue").body.string
            // then only the item due yesterday is there
            #expect(overdue.contains("Kirim rekap tonase"))
            #expect(!overdue.contains("Unggah SK bank sampah"))
        }
    }

    @Test func theHomePageCountsTheDaysFromThePinnedDay() async throws {
        try await withPilar(today: "2022-09-29") { app in
            // when the coordinator opens the home page on 29 September 2022
            let home = try await Browser.signedIn(app, Demo.coordinator).get("/").body.string
            // then Stage I (5 October) is six days ahead
            #expect(home.contains("6 hari lagi: Tahap I"))
        }
        try await withPilar(today: "2022-10-04") { app in
            let home = try await Browser.signedIn(app, Demo.coordinator).get("/").body.string
            #expect(home.contains("1 hari lagi: Tahap I"))
        }
    }

    @Test func aDocumentWhoseValidityEndedBeforeThePinnedDayIsMarkedExpired() async throws {
        try await withPilar(today: "2022-09-29") { app in
            // given two of DLH's documents on its quick-win indicator, valid until the day before and the day of the pinned day
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            for (title, until) in [("SK lama", "2022-09-28"), ("SK berlaku", "2022-09-29")] {
                let r = try await dlh.post("/cycles/2022/indicators/QW.ENV/links",
                                           ["url": "https://jdih.kedirikota.go.id/\(until)", "title": title, "expires_on": until])
                #expect(r.status == .seeOther)
            }
            // when DLH opens the indicator on 29 September 2022
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // then only the document valid until 28 September is expired
            let expiredMark = "28 September 2022 — kedaluwarsa sebelum tanggal evaluasi — sudah kedaluwarsa"
            #expect(page.contains(expiredMark))
            #expect(page.contains("29 September 2022 — kedaluwarsa sebelum tanggal evaluasi</span>"))
            #expect(!page.contains("29 September 2022 — kedaluwarsa sebelum tanggal evaluasi — sudah kedaluwarsa"))
        }
    }
}
