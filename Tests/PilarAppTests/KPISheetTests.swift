import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("The KPI sheet")
struct KPISheetTests {
    func upload(_ b: Browser, _ data: [UInt8], csrf: Bool = true) async throws -> TestingHTTPResponse {
        try await PlansFixture.upload(b, "/programmes/kpis.xlsx", filename: "kpi.xlsx", bytes: data, csrf: csrf)
    }

    /// DLH's sheet for 2022 as downloaded, every row padded to its eight columns.
    struct Sheet {
        var rows: [[XLSX.Cell]]
        /// The row of October 2022.
        let october: Int
        func bytes() throws -> [UInt8] { Array(try XLSX.write([XLSX.Sheet(name: "Realisasi", rows: rows)])) }
    }

    func downloadedSheet(_ dlh: Browser) async throws -> Sheet {
        let rows = try XLSX.read(Data(buffer: try await dlh.get("/programmes/kpis.xlsx?year=2022").body), sheet: "Realisasi")
        // (the reader leaves out empty cells at the end of a row)
        let edited = rows.map { row in (0..<8).map { $0 < row.count ? row[$0].map(XLSX.Cell.text) ?? .empty : .empty } }
        let october = try #require(edited.firstIndex { if case .text("2022-10") = $0[4] { return true }; return false })
        return Sheet(rows: edited, october: october)
    }

    /// DLH's sheet with October filled in for one KPI; our own writer stands in for Excel.
    func octoberFilledIn(_ dlh: Browser) async throws -> Sheet {
        var sheet = try await downloadedSheet(dlh)
        sheet.rows[sheet.october][6] = .text("77")
        return sheet
    }

    @Test func theDownloadHoldsEveryMonthOfTheAgencysKPIs() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let file = try await dlh.get("/programmes/kpis.xlsx?year=2022")
            // then
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentDisposition)?.contains("kpi-kota-kediri-2022.xlsx") == true)
            let rows = try XLSX.read(Data(buffer: file.body), sheet: "Realisasi")
            #expect(rows.first?.compactMap { $0 } == KPISheetController.headers)
            #expect(rows.count == 1 + 4 * 12)
        }
    }

    @Test func aFilledInSheetIsReadBack() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let good = try await octoberFilledIn(dlh)
            // when
            let uploaded = try await upload(dlh, try good.bytes())
            // then
            #expect(uploaded.status == .seeOther)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-10").count() == 1)
        }
    }

    @Test func aWrongNumberAnUnknownKPIAndADuplicateAreRefusedWithTheirRowsAndChangeNothing() async throws {
        try await withPilar { app in
            // given: October read back once
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            var sheet = try await octoberFilledIn(dlh)
            #expect(try await upload(dlh, try sheet.bytes()).status == .seeOther)
            let october = sheet.october
            sheet.rows[october][6] = .text("tujuh puluh")
            sheet.rows[october + 1][0] = .text(UUID().uuidString)
            sheet.rows[october + 1][6] = .text("5")
            sheet.rows.append(sheet.rows[october + 2])
            sheet.rows[sheet.rows.count - 1][6] = .text("1")
            sheet.rows[october + 2][6] = .text("1")
            // when
            let bad = try await upload(dlh, try sheet.bytes())
            // then
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("<td class=\"num\">\(october + 1)</td><td>G</td>"))
            #expect(html.contains("<td class=\"num\">\(october + 2)</td><td>A</td>"))
            #expect(html.contains("muncul dua kali"))
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-10").first()?.value == 77)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-11").count() == 0)
        }
    }

    @Test func aFileThatIsNotASpreadsheetIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when
            let junk = try await upload(dlh, Array("%PDF-1.4 not a sheet".utf8))
            // then
            #expect(junk.status == .unprocessableEntity)
            #expect(junk.body.string.contains("tidak dapat dibaca"))
        }
    }

    @Test func aSheetWithoutTheFormsTokenIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let good = try await octoberFilledIn(dlh)
            // when
            let refused = try await upload(dlh, try good.bytes(), csrf: false)
            // then
            #expect(refused.status == .forbidden)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-10").count() == 0)
        }
    }

    @Test func leadershipTheAssessorAndTheAdminNeitherDownloadNorUpload() async throws {
        try await withPilar { app in
            // given
            let good = try await octoberFilledIn(try await Browser.signedIn(app, Demo.dlh))
            for user in [Demo.leader, Demo.assessor, Demo.admin] {
                let b = try await Browser.signedIn(app, user)
                // when / then
                #expect(try await b.get("/programmes/kpis.xlsx?year=2022").status == .forbidden)
                try await b.get("/")
                #expect(try await upload(b, try good.bytes()).status == .forbidden)
            }
        }
    }

    @Test func anotherAgencysSheetHoldsOnlyItsOwnKPIsAndRefusesDLHsRows() async throws {
        try await withPilar { app in
            // given
            let good = try await octoberFilledIn(try await Browser.signedIn(app, Demo.dlh))
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when
            let theirs = try XLSX.read(Data(buffer: try await dinkes.get("/programmes/kpis.xlsx?year=2022").body), sheet: "Realisasi")
            let refused = try await upload(dinkes, try good.bytes())
            // then
            #expect(theirs.dropFirst().allSatisfy { $0.count > 1 && $0[1] == "Home Care: layanan kesehatan di rumah" })
            #expect(refused.status == .unprocessableEntity)
        }
    }
}
