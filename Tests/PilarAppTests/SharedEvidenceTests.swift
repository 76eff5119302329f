import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: one document backing several indicators")
struct SharedEvidenceTests: EvidenceSteps {
    /// DLH's "Perwali Bank Sampah" on QW.ENV, and the coordinator.
    struct Given {
        let dlh: Browser
        let kominfo: Browser
        let id: String
    }

    func perwali(_ app: Application) async throws -> Given {
        let (dlh, evidence) = try await uploaded(app, fields: [("title", "Perwali Bank Sampah")])
        return Given(dlh: dlh, kominfo: try await Browser.signedIn(app, Demo.coordinator), id: evidence.id!.uuidString)
    }

    /// The coordinator attaches the Perwali to IM.ENV too, as supporting level 3.
    func sharedWithIMENV(_ app: Application) async throws -> Given {
        let given = try await perwali(app)
        let (kominfo, id) = (given.kominfo, given.id)
        try await kominfo.get("/cycles/2022/indicators/IM.ENV")
        #expect(try await kominfo.post("/cycles/2022/indicators/IM.ENV/attach", ["evidence_id": id, "supports_level": "3"]).status == .seeOther)
        return given
    }

    /// … and DLH then takes it off QW.ENV.
    func detachedFromQWENV(_ app: Application) async throws -> Given {
        let given = try await sharedWithIMENV(app)
        let (dlh, id) = (given.dlh, given.id)
        #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .seeOther)
        return given
    }

    @Test func theCoordinatorSeesTheAgencysDocumentOnItsOtherIndicator() async throws {
        try await withPilar { app in
            // given
            let given = try await perwali(app)
            // when
            let page = try await given.kominfo.get("/cycles/2022/indicators/IM.ENV").body.string
            // then
            #expect(page.contains("Perwali Bank Sampah"))
        }
    }

    @Test func theCoordinatorAttachesItToAnotherIndicatorSayingWhichLevelItSupports() async throws {
        try await withPilar { app in
            // given
            let given = try await perwali(app)
            let (kominfo, id) = (given.kominfo, given.id)
            try await kominfo.get("/cycles/2022/indicators/IM.ENV")
            // when
            #expect(try await kominfo.post("/cycles/2022/indicators/IM.ENV/attach", ["evidence_id": id, "supports_level": "3"]).status == .seeOther)
            // then
            let page = try await kominfo.get("/cycles/2022/indicators/IM.ENV").body.string
            #expect(page.contains("mendukung level 3"))
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
        }
    }

    @Test func anotherAgencyCannotAttachItToItsOwnIndicator() async throws {
        try await withPilar { app in
            // given: Dinkes's QW.LIV open for editing
            let id = try await sharedWithIMENV(app).id
            try await Assessment.query(on: app.db).filter(\.$indicatorCode == "QW.LIV").set(\.$status, to: .draft).update()
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when
            let own = try await dinkes.post("/cycles/2022/indicators/QW.LIV/attach", ["evidence_id": id])
            // then
            #expect(own.status == .unprocessableEntity)
            #expect(own.body.string.contains("tidak dapat dilampirkan"))
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
        }
    }

    @Test func anotherAgencyCannotAttachOrDetachOnTheOwnersIndicator() async throws {
        try await withPilar { app in
            // given
            let id = try await sharedWithIMENV(app).id
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // when / then
            #expect(try await dinkes.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .forbidden)
            #expect(try await dinkes.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .forbidden)
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
        }
    }

    @Test func attachingAnUnknownDocumentIsRefused() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await sharedWithIMENV(app).kominfo
            // when / then
            #expect(try await kominfo.post("/cycles/2022/indicators/OC.ENV/attach", ["evidence_id": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
        }
    }

    @Test func attachingAtALevelOutsideTheScaleIsRefused() async throws {
        try await withPilar { app in
            // given
            let given = try await sharedWithIMENV(app)
            let (kominfo, id) = (given.kominfo, given.id)
            // when / then
            #expect(try await kominfo.post("/cycles/2022/indicators/OC.ENV/attach", ["evidence_id": id, "supports_level": "9"]).status == .unprocessableEntity)
            #expect(try await EvidenceLink.query(on: app.db).count() == 2)
        }
    }

    @Test func takingItOffOneIndicatorKeepsTheDocumentBackingTheOther() async throws {
        try await withPilar { app in
            // given
            let given = try await sharedWithIMENV(app)
            let (dlh, id) = (given.dlh, given.id)
            // when
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .seeOther)
            // then
            #expect(try await EvidenceLink.query(on: app.db).count() == 1)
            #expect(try await Evidence.query(on: app.db).count() == 1)
            #expect(try await dlh.get("/evidence/\(id)/file").status == .ok)
        }
    }

    @Test func takingItOffTwiceIsNotFound() async throws {
        try await withPilar { app in
            // given
            let given = try await detachedFromQWENV(app)
            let (dlh, id) = (given.dlh, given.id)
            // when / then
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/detach", ["evidence_id": id]).status == .notFound)
        }
    }

    @Test func theOwnerMayAttachItAgainFromItsLibrary() async throws {
        try await withPilar { app in
            // given
            let given = try await detachedFromQWENV(app)
            let (dlh, id) = (given.dlh, given.id)
            // when / then
            #expect(try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string.contains("<option value=\"\(id)\">"))
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .seeOther)
        }
    }

    @Test func aLargeLibraryOffersTheNewestAndASearchFindsTheRest() async throws {
        try await withPilar { app in
            // given: the Perwali taken off QW.ENV, then 35 newer links in DLH's library
            let given = try await detachedFromQWENV(app)
            let (dlh, id) = (given.dlh, given.id)
            let perwali = try #require(try await Evidence.find(UUID(uuidString: id), on: app.db))
            for i in 1...35 {
                let e = Evidence()
                e.$region.id = perwali.$region.id
                e.$agency.id = perwali.$agency.id
                e.kind = "link"
                e.title = "Dokumen \(i)"
                e.url = "https://dlh.example/\(i)"
                e.createdBy = perwali.createdBy
                e.createdAt = perwali.createdAt.addingTimeInterval(Double(i))
                try await e.create(on: app.db)
            }
            // when the indicator page is opened
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            // then the 30 newest are offered, with a note that a search finds the others
            #expect(page.components(separatedBy: "<option value=\"").count - 1 >= 30)
            #expect(page.contains(">Dokumen 35<") && !page.contains(">Dokumen 5<"))
            #expect(!page.contains("<option value=\"\(id)\">"))
            #expect(page.contains("Ditampilkan 30 bukti terbaru"))
            // a search by title finds the older one (any case), and only what matches
            let found = try await dlh.get("/cycles/2022/indicators/QW.ENV?attach_q=PERWALI").body.string
            #expect(found.contains("<option value=\"\(id)\">"))
            #expect(!found.contains(">Dokumen 35<") && !found.contains("Ditampilkan 30"))
            // a wildcard is a character like any other
            #expect(try await dlh.get("/cycles/2022/indicators/QW.ENV?attach_q=%25").body.string.contains("Tidak ada bukti yang cocok"))
            // a piece not on the first page can be attached; one already attached cannot, twice
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .seeOther)
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .unprocessableEntity)
            #expect(try await EvidenceLink.query(on: app.db).filter(\.$evidence.$id == perwali.requireID()).count() == 2)
        }
    }

    @Test func theUploadEveryAttachAndEveryDetachAreInTheAuditTrail() async throws {
        try await withPilar { app in
            // given: uploaded, attached to IM.ENV, taken off QW.ENV
            let given = try await detachedFromQWENV(app)
            let (dlh, id) = (given.dlh, given.id)
            // when: attached again
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            #expect(try await dlh.post("/cycles/2022/indicators/QW.ENV/attach", ["evidence_id": id]).status == .seeOther)
            // then
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "evidence").count() == 4)
        }
    }
}
