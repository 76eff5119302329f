import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Answering and verifying an indicator")
struct IndicatorWorkflowTests {
    /// The revision printed in the page's form.
    func revision(_ html: String) -> String {
        guard let range = html.range(of: #"name="revision" value="(\d+)""#, options: .regularExpression) else { return "" }
        return String(html[range].split(separator: "\"")[3])
    }

    func assessment(_ app: Application, _ code: String) async throws -> Assessment {
        try await Assessment.query(on: app.db).filter(\.$indicatorCode == code).first()!
    }

    @Test func agencyAnswersCoordinatorReturnsAgencyFixesCoordinatorVerifies() async throws {
        try await withPilar { app in
            // given Dinas Lingkungan Hidup's returned Bank Sampah quick win
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            var page = try await dlh.get("/cycles/2022/indicators/QW.ENV")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Lengkapi data tonase per bulan"))
            // when the agency submits level 4 with a justification
            var response = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Data tonase Januari–Agustus dilampirkan.",
                "revision": revision(page.body.string),
            ])
            #expect(response.status == .seeOther)
            #expect(try await assessment(app, "QW.ENV").status == "submitted")
            #expect(try await assessment(app, "QW.ENV").selfLevel == 4)
            // then it is in the coordinator's review queue
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let queue = try await kominfo.get("/review").body.string
            #expect(queue.contains("QW.ENV"))
            // the coordinator returns it with a note
            page = try await kominfo.get("/cycles/2022/indicators/QW.ENV")
            response = try await kominfo.post("/cycles/2022/indicators/QW.ENV", [
                "action": "return", "note": "Tambahkan daftar bank sampah aktif.", "verified_level": "3",
                "revision": revision(page.body.string),
            ])
            #expect(response.status == .seeOther)
            #expect(try await assessment(app, "QW.ENV").status == "returned")
            // the agency sees the note in its list, fixes and resubmits
            let list = try await dlh.get("/my/indicators").body.string
            #expect(list.contains("Tambahkan daftar bank sampah aktif."))
            page = try await dlh.get("/cycles/2022/indicators/QW.ENV")
            response = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Daftar 120 bank sampah aktif dilampirkan.",
                "revision": revision(page.body.string),
            ])
            #expect(response.status == .seeOther)
            // the coordinator verifies at 4
            page = try await kominfo.get("/cycles/2022/indicators/QW.ENV")
            response = try await kominfo.post("/cycles/2022/indicators/QW.ENV", [
                "action": "verify", "verified_level": "4", "note": "Lengkap.", "revision": revision(page.body.string),
            ])
            #expect(response.status == .seeOther)
            let final = try await assessment(app, "QW.ENV")
            #expect(final.status == "verified")
            #expect(final.verifiedLevel == 4)
            // and the verified index moved: QW (4,3,3,4,3,4)=3.5 instead of 3.4 → index 3.25
            let score = try await kominfo.get("/api/v1/cycles/2022/score?layer=verified")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: score.body)) as! [String: Any]
            #expect(json["display"] as? String == "3.25")
            // every step is in the audit trail, newest first, shown on the page
            let events = try await AuditEvent.query(on: app.db).filter(\.$entityKey == "QW.ENV").filter(\.$field == "status")
                .sort(\.$at).all()
            #expect(events.map(\.after) == ["submitted", "returned", "submitted", "verified"])
            let html = try await kominfo.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(html.contains("Operator Dinas Lingkungan Hidup (kediri.dlh)"))
            #expect(html.contains("Tambahkan daftar bank sampah aktif."))
        }
    }

    @Test func secondEditorIsToldAndKeepsWhatTheyTyped() async throws {
        try await withPilar { app in
            // given the agency and the coordinator with the same (returned) indicator open
            let agency = try await Browser.signedIn(app, Demo.dlh)
            let coordinator = try await Browser.signedIn(app, Demo.coordinator)
            let opened = revision(try await agency.get("/cycles/2022/indicators/QW.ENV").body.string)
            let openedToo = revision(try await coordinator.get("/cycles/2022/indicators/QW.ENV").body.string)
            #expect(!opened.isEmpty && opened == openedToo)
            // when the coordinator saves first
            let saved = try await coordinator.post("/cycles/2022/indicators/QW.ENV", [
                "action": "save", "level": "3", "justification": "Diisi koordinator.", "revision": openedToo,
            ])
            #expect(saved.status == .seeOther)
            // then the agency's save from the older page is refused, says why, and keeps what it typed
            let refused = try await agency.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Teks yang saya ketik panjang-panjang.", "revision": opened,
            ])
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("baru saja diubah orang lain"))
            #expect(refused.body.string.contains("Teks yang saya ketik panjang-panjang."))
            #expect(refused.body.string.contains("Diisi koordinator."))
            let stored = try await assessment(app, "QW.ENV")
            #expect(stored.justification == "Diisi koordinator.")
            #expect(stored.status == "draft")
            // and sending again from the refreshed form works
            let retry = try await agency.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Teks yang saya ketik panjang-panjang.",
                "revision": revision(refused.body.string),
            ])
            #expect(retry.status == .seeOther)
            #expect(try await assessment(app, "QW.ENV").status == "submitted")
        }
    }

    @Test func agencyCannotTouchAnotherAgencysIndicator() async throws {
        try await withPilar { app in
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            // reading and writing DLH's indicator is refused
            #expect(try await dinkes.get("/cycles/2022/indicators/QW.ENV").status == .forbidden)
            try await dinkes.get("/cycles/2022/indicators/QW.LIV")
            let write = try await dinkes.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "5", "justification": "x", "revision": "1",
            ])
            #expect(write.status == .forbidden)
            #expect(try await assessment(app, "QW.ENV").selfLevel == 3)
            // nor may it verify its own
            let verify = try await dinkes.post("/cycles/2022/indicators/QW.LIV", [
                "action": "verify", "verified_level": "5", "revision": "1",
            ])
            #expect(verify.status == .forbidden)
            // leader and assessor read but do not write
            for user in [Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                let page = try await b.get("/cycles/2022/indicators/QW.LIV")
                #expect(page.status == .ok)
                #expect(!page.body.string.contains("name=\"action\""))
                let r = try await b.post("/cycles/2022/indicators/QW.LIV", ["action": "save", "level": "1", "revision": "1"])
                #expect(r.status == .forbidden)
            }
            // the assessor does not see a draft, nor the history of drafts before a submission
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            #expect(try await assessor.get("/cycles/2022/indicators/IM.BRD").status == .forbidden)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let opened = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            _ = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Final.",
                "revision": revision(opened),
            ])
            let seen = try await assessor.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(seen.contains("Final."))
            #expect(!seen.contains("Operator Dinas Lingkungan Hidup (kediri.dlh)"))
            // unknown codes and years are not found
            #expect(try await dinkes.get("/cycles/2022/indicators/NOPE").status == .notFound)
            #expect(try await dinkes.get("/cycles/1999/indicators/QW.LIV").status == .notFound)
        }
    }

    @Test func badInputIsNamedAndNothingStored() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let rev = revision(try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string)
            let before = try await assessment(app, "QW.ENV")
            // no level, no justification
            var r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "confirm_no_evidence": "1", "level": "", "justification": " ", "revision": rev])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Pilih tingkat sebelum mengirim."))
            #expect(r.body.string.contains("Tulis justifikasi sebelum mengirim."))
            // outside the scale, not a number, N/A where not allowed, unknown action
            r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "submit", "confirm_no_evidence": "1", "level": "9", "justification": "j", "revision": rev])
            #expect(r.body.string.contains("Tingkat harus antara 1 dan 5."))
            r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "save", "level": "tiga", "justification": "j", "revision": rev])
            #expect(r.body.string.contains("Tingkat harus berupa angka atau N/A."))
            #expect(r.body.string.contains(">j</textarea>"))
            r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "save", "level": "NA", "justification": "j", "revision": rev])
            #expect(r.body.string.contains("tidak boleh diisi"))
            r = try await dlh.post("/cycles/2022/indicators/QW.ENV", ["action": "delete", "revision": rev])
            #expect(r.status == .badRequest)
            // nothing changed
            let after = try await assessment(app, "QW.ENV")
            #expect(after.revision == before.revision)
            #expect(after.selfLevel == before.selfLevel)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
            // N/A where the instrument allows it (BL.1) is accepted for the coordinator
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let bl = revision(try await kominfo.get("/cycles/2022/indicators/BL.1").body.string)
            r = try await kominfo.post("/cycles/2022/indicators/BL.1", ["action": "verify", "verified_level": "NA", "note": "Kota baru.", "revision": bl])
            #expect(r.status == .seeOther)
            #expect(try await assessment(app, "BL.1").notApplicable)
        }
    }

    @Test func submittedAnswerIsLockedForTheAgency() async throws {
        try await withPilar { app in
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            let page = try await dinkes.get("/cycles/2022/indicators/QW.LIV").body.string
            #expect(!page.contains("value=\"submit\""))
            let r = try await dinkes.post("/cycles/2022/indicators/QW.LIV", ["action": "save", "level": "2", "justification": "x", "revision": revision(page)])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("sudah dikirim atau diverifikasi"))
        }
    }

    @Test func workListsShowWhatEachUserMayActOn() async throws {
        try await withPilar { app in
            let dinkes = try await Browser.signedIn(app, Demo.dinkes).get("/my/indicators").body.string
            for code in ["OC.LIV", "IM.LIV", "QW.LIV"] { #expect(dinkes.contains(">\(code)<")) }
            #expect(!dinkes.contains(">QW.ENV<"))
            let queue = try await Browser.signedIn(app, Demo.coordinator).get("/review").body.string
            for code in ["BL.3", "OP.5", "IM.ENV"] { #expect(queue.contains(">\(code)<")) }
            #expect(!queue.contains(">QW.LIV<"))
            // the demo's answers moved in September 2022, in its order: BL.3 has waited longest
            #expect(queue.contains("19 September 2022 09.30"))
            let bl3 = try #require(queue.range(of: ">BL.3<")), imEnv = try #require(queue.range(of: ">IM.ENV<"))
            #expect(bl3.lowerBound < imEnv.lowerBound)
            #expect(dinkes.contains("27 September 2022"))
            #expect(try await Browser.signedIn(app, Demo.dinkes).get("/review").status == .forbidden)
            #expect(try await Browser.signedIn(app, Demo.leader).get("/review").status == .forbidden)
            #expect(try await Browser.signedIn(app, Demo.admin).get("/my/indicators").status == .forbidden)
            #expect(try await Browser(app).get("/review").status == .seeOther)
        }
    }

    @Test func indicatorAPIFollowsThePageRules() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            _ = try await dlh.post("/cycles/2022/indicators/QW.ENV", [
                "action": "submit", "confirm_no_evidence": "1", "level": "4", "justification": "Tonase terlampir.", "revision": revision(page),
            ])
            let response = try await dlh.get("/api/v1/cycles/2022/indicators/QW.ENV")
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            #expect(json["status"] as? String == "submitted")
            #expect(json["self"] as? Double == 4)
            #expect(json["lead_agency"] as? String == "DLH")
            #expect(json["justification"] as? String == "Tonase terlampir.")
            #expect(json["pillar"] as? String == "environment")
            let history = json["status_history"] as! [[String: Any]]
            #expect(history.map { $0["to"] as? String } == ["submitted"])
            #expect((json["evidence"] as! [Any]).isEmpty)
            // another agency, and anyone outside, may not read it
            #expect(try await Browser.signedIn(app, Demo.dinkes).get("/api/v1/cycles/2022/indicators/QW.ENV").status == .forbidden)
            #expect(try await Browser(app).get("/api/v1/cycles/2022/indicators/QW.ENV").status == .unauthorized)
            #expect(try await dlh.get("/api/v1/cycles/2022/indicators/NOPE").status == .notFound)
        }
    }

    @Test func twoFirstAnswersAtOnceNeitherLost() async throws {
        try await withPilar { app in
            // a new cycle with no answer rows at all
            let version = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
            let one = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await one.post("/admin/cycles", ["year": "2023", "instrument": version.id!.uuidString, "status": "self_assessment"]).status == .seeOther)
            let two = try await Browser.signedIn(app, Demo.coordinator)
            try await one.get("/cycles/2023/indicators/BL.1")
            try await two.get("/cycles/2023/indicators/BL.1")
            // both send their first answer at the same moment, from revision 0
            async let a = one.post("/cycles/2023/indicators/BL.1", ["action": "save", "level": "2", "justification": "satu", "revision": "0"])
            async let b = two.post("/cycles/2023/indicators/BL.1", ["action": "save", "level": "3", "justification": "dua", "revision": "0"])
            let statuses = try await [a.status, b.status]
            #expect(statuses.sorted { $0.code < $1.code } == [.seeOther, .conflict])
            let rows = try await Assessment.query(on: app.db).filter(\.$indicatorCode == "BL.1").join(Cycle.self, on: \Assessment.$cycle.$id == \Cycle.$id)
                .filter(Cycle.self, \.$year == 2023).all()
            #expect(rows.count == 1)
            #expect(rows.first?.revision == 1)
        }
    }
}
