import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("The cycle's timeline")
struct TimelineTests {
    @Test func homePageSaysWhenEveryStageIsOver() async throws {
        try await withPilar { app in
            // given: 2022's stages are long over
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // when / then
            #expect(try await kominfo.get("/").body.string.contains("Semua tahapan siklus ini sudah lewat."))
        }
    }

    @Test func homePageCountsDownToTheNextStage() async throws {
        try await withPilar { app in
            // given: next year's cycle, its self-assessment starting in ten days
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let version = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
            let today = CalendarDate.today(in: TimeZone(identifier: "Asia/Jakarta")!, now: app.now)
            let start = CalendarDate.adding(days: 10, to: today), end = CalendarDate.adding(days: 40, to: today)
            let year = Int(today.prefix(4))! + 1
            #expect(try await kominfo.post("/admin/cycles", ["year": String(year), "instrument": version.id!.uuidString, "status": "planning",
                                                             "stage_self_assessment_start": start, "stage_self_assessment_end": end]).status == .seeOther)
            // when
            let home = try await kominfo.get("/").body.string
            // then
            #expect(home.contains("10 hari lagi: Penilaian mandiri dan unggah bukti dukung dimulai"))
            #expect(home.contains("Setiap indikator dijawab dengan bukti dukung"))
        }
    }
}
