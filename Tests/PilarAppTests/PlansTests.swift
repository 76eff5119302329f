import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Programmes, KPIs, milestones and risks")
struct ProgrammeTests {
    func programme(_ app: Application, pillar: String) async throws -> Programme {
        try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == pillar).first())
    }

    @Test func everyoneWhoMayReadSeesTheQuickWinsWithCharts() async throws {
        try await withPilar { app in
            let bank = try await programme(app, pillar: "environment")
            for user in [Demo.coordinator, Demo.dlh, Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                let list = try await b.get("/programmes")
                #expect(list.status == .ok, "\(user.0)")
                #expect(list.body.string.contains("Bank Sampah"))
                let page = try await b.get("/programmes/\(bank.id!.uuidString)")
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("class=\"kpi-chart\""))
                #expect(html.contains("<polyline points=\""))
                #expect(html.contains("Bank sampah aktif"))
                #expect(html.contains("Rp 650.000.000"))
            }
            #expect(try await Browser.signedIn(app, Demo.admin).get("/programmes").status == .forbidden)
            #expect(try await Browser(app).get("/programmes").status == .seeOther)
        }
    }

    @Test func theOwnerKeepsItsProgrammeUpToDateAndNobodyElse() async throws {
        try await withPilar { app in
            let bank = try await programme(app, pillar: "environment")
            let id = bank.id!.uuidString
            let kpi = try #require(try await KPI.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$name == "Nasabah").first())
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // a realisation for October, with a note
            // typed the Indonesian way, with a thousands dot
            #expect(try await dlh.post("/programmes/\(id)/kpis/\(kpi.id!.uuidString)", ["period": "2022-10", "value": "10.400", "note": "termasuk nasabah sekolah"]).status == .seeOther)
            let stored = try #require(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == kpi.id!).filter(\.$period == "2022-10").first())
            #expect(stored.value == 10400)
            #expect(stored.note == "termasuk nasabah sekolah")
            // backed by one of DLH's documents; an unknown document is refused
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            let doc = Evidence()
            doc.$region.id = bank.$region.id
            doc.$agency.id = dlhAgency.id
            doc.kind = "link"; doc.title = "Rekap nasabah Oktober"; doc.url = "https://example.org/rekap"
            doc.createdBy = UUID(); doc.createdAt = Date()
            try await doc.create(on: app.db)
            #expect(try await dlh.post("/programmes/\(id)/kpis/\(kpi.id!.uuidString)", ["period": "2022-10", "value": "10400", "evidence_id": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await dlh.post("/programmes/\(id)/kpis/\(kpi.id!.uuidString)", ["period": "2022-10", "value": "10400", "note": "termasuk nasabah sekolah", "evidence_id": doc.id!.uuidString]).status == .seeOther)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == kpi.id!).filter(\.$period == "2022-10").first()?.evidenceID == doc.id)
            // bad periods and values are refused and change nothing
            for form in [["period": "2031-01", "value": "1"], ["period": "2022-13", "value": "1"], ["period": "2022-Q1", "value": "1"],
                         ["period": "2022-11", "value": "banyak"]] {
                let r = try await dlh.post("/programmes/\(id)/kpis/\(kpi.id!.uuidString)", form)
                #expect(r.status == .unprocessableEntity, "\(form)")
            }
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$kpi.$id == kpi.id!).count() == 10)
            // status and progress, a milestone, a risk
            #expect(try await dlh.post("/programmes/\(id)", ["status": "running", "progress": "72"]).status == .seeOther)
            #expect(try await Programme.find(bank.id, on: app.db)?.progress == 72)
            #expect(try await dlh.post("/programmes/\(id)", ["status": "running", "progress": "140"]).status == .unprocessableEntity)
            let milestone = try #require(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$done == false).first())
            #expect(try await dlh.post("/programmes/\(id)/milestones/\(milestone.id!.uuidString)", ["done": "1"]).status == .seeOther)
            #expect(try await Milestone.find(milestone.id, on: app.db)?.done == true)
            #expect(try await dlh.post("/programmes/\(id)/risks", ["risk": "Hujan deras", "likelihood": "2", "impact": "3"]).status == .seeOther)
            #expect(try await dlh.post("/programmes/\(id)/risks", ["risk": "x", "likelihood": "4", "impact": "3"]).status == .unprocessableEntity)
            #expect(try await Risk.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 2)
            // another agency, leadership and the assessor change nothing
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.post("/programmes/\(id)", ["status": "done", "progress": "100"]).status == .forbidden)
                #expect(try await b.post("/programmes/\(id)/kpis/\(kpi.id!.uuidString)", ["period": "2022-11", "value": "1"]).status == .forbidden)
                #expect(try await b.post("/programmes/\(id)/milestones/\(milestone.id!.uuidString)", ["done": "0"]).status == .forbidden)
                #expect(try await b.post("/programmes/\(id)/risks", ["risk": "x", "likelihood": "1", "impact": "1"]).status == .forbidden)
            }
            #expect(try await Programme.find(bank.id, on: app.db)?.progress == 72)
            // only the coordinator adds KPIs and programmes
            #expect(try await dlh.post("/programmes/\(id)/kpis", ["kpi_name": "x", "kpi_unit": "y", "kpi_frequency": "monthly"]).status == .forbidden)
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.post("/programmes/\(id)/kpis", ["kpi_name": "Sekolah mitra", "kpi_unit": "sekolah", "kpi_frequency": "quarterly", "kpi_baseline": "12"]).status == .seeOther)
            let added = try #require(try await KPI.query(on: app.db).filter(\.$name == "Sekolah mitra").first())
            #expect(try await kominfo.post("/programmes/\(id)/kpis/\(added.id!.uuidString)/targets", ["year": "2023", "target_2023-Q1": "14", "target_2023-Q2": "16,5"]).status == .seeOther)
            #expect(try await KPITarget.query(on: app.db).filter(\.$kpi.$id == added.id!).count() == 2)
            let withForm = try await kominfo.get("/programmes/\(id)?year=2023").body.string
            #expect(withForm.contains("name=\"target_2023-Q2\" value=\"16,5\""))
            #expect(!(try await dlh.get("/programmes/\(id)?year=2023").body.string.contains("name=\"target_2023-Q2\"")))
            #expect(try await kominfo.post("/programmes/\(id)/kpis/\(added.id!.uuidString)/targets", ["year": "2023", "target_2023-Q3": "x"]).status == .unprocessableEntity)
            let dinkes = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
            #expect(try await kominfo.post("/programmes", ["title": "Posyandu digital", "pillar": "living", "horizon": "medium", "owner": dinkes.id!.uuidString, "start_year": "2023", "end_year": "2025"]).status == .seeOther)
            #expect(try await kominfo.post("/programmes", ["title": "", "pillar": "nowhere", "horizon": "soon", "owner": UUID().uuidString, "start_year": "2025", "end_year": "2023"]).status == .unprocessableEntity)
            #expect(try await dlh.post("/programmes", ["title": "x", "pillar": "living", "horizon": "medium", "owner": dinkes.id!.uuidString, "start_year": "2023", "end_year": "2025"]).status == .forbidden)
            #expect(try await Programme.query(on: app.db).count() == 7)
            // another region reaches nothing by id
            try await OtherRegion.create(app)
            let other = try await Browser.signedIn(app, OtherRegion.coordinator)
            #expect(try await other.get("/programmes/\(id)").status == .notFound)
            #expect(try await other.post("/programmes/\(id)", ["status": "done", "progress": "100"]).status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity ~~ ["programme", "kpi"]).count() >= 6)
        }
    }
}

@Suite("The risk register")
struct RiskRegisterTests {
    @Test func theOwnerRevisesAndRemovesRisksAndTheTrailKeepsThem() async throws {
        try await withPilar { app in
            let bank = try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == "environment").filter(\.$quickWinYear == 2022).first())
            let id = bank.id!.uuidString
            let agencies = try await Agency.query(on: app.db).all()
            let dlhAgency = try #require(agencies.first { $0.code == "DLH" }), dinkes = try #require(agencies.first { $0.code == "DINKES" })
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // a new risk owned by a supporting agency
            #expect(try await dlh.post("/programmes/\(id)/risks", ["risk": "Truk pengangkut rusak", "cause": "armada tua", "likelihood": "2",
                                                                  "impact": "3", "mitigation": "sewa truk", "owner": dinkes.id!.uuidString]).status == .seeOther)
            let risk = try #require(try await Risk.query(on: app.db).filter(\.$risk == "Truk pengangkut rusak").first())
            #expect(risk.$owner.id == dinkes.id && risk.cause == "armada tua")
            let path = "/programmes/\(id)/risks/\(risk.id!.uuidString)"
            // the page offers the edit form filled with what is stored
            let page = try await dlh.get("/programmes/\(id)").body.string
            #expect(page.contains("action=\"\(path)\"") && page.contains("value=\"sewa truk\""))
            // revised: likelihood down, owner back to DLH
            #expect(try await dlh.post(path, ["action": "save", "risk": "Truk pengangkut rusak", "cause": "armada tua", "likelihood": "1",
                                              "impact": "3", "mitigation": "sewa truk cadangan", "owner": dlhAgency.id!.uuidString]).status == .seeOther)
            var stored = try #require(try await Risk.find(risk.id, on: app.db))
            #expect(stored.likelihood == 1 && stored.mitigation == "sewa truk cadangan" && stored.$owner.id == dlhAgency.id)
            // bad values are named, what was typed is kept, nothing changes
            let bad = try await dlh.post(path, ["action": "save", "risk": "", "likelihood": "9", "impact": "3", "mitigation": "<b>x</b>",
                                                "owner": UUID().uuidString])
            #expect(bad.status == .unprocessableEntity)
            let body = bad.body.string
            #expect(body.contains("Pilih 1, 2 atau 3.") && body.contains("value=\"&lt;b&gt;x&lt;/b&gt;\""))
            stored = try #require(try await Risk.find(risk.id, on: app.db))
            #expect(stored.risk == "Truk pengangkut rusak" && stored.likelihood == 1)
            #expect(try await dlh.post(path, ["action": "burn"]).status == .badRequest)
            #expect(try await dlh.post(path, ["action": "remove"], withToken: false).status == .forbidden)
            // nobody else changes it; another programme's path does not reach it
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.post(path, ["action": "remove"]).status == .forbidden)
            }
            let other = try #require(try await Programme.query(on: app.db).filter(\.$id != bank.id!).first())
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.post("/programmes/\(other.id!.uuidString)/risks/\(risk.id!.uuidString)", ["action": "remove"]).status == .notFound)
            try await OtherRegion.create(app)
            #expect(try await Browser.signedIn(app, OtherRegion.coordinator).post(path, ["action": "remove"]).status == .notFound)
            #expect(try await Risk.find(risk.id, on: app.db) != nil)
            // removed by its owner; the trail keeps what it said
            #expect(try await dlh.post(path, ["action": "remove"]).status == .seeOther)
            #expect(try await Risk.find(risk.id, on: app.db) == nil)
            let trail = try await AuditEvent.query(on: app.db).filter(\.$field == "risk").filter(\.$action == "delete").all()
            #expect(trail.count == 1 && trail[0].before?.contains("sewa truk cadangan") == true && trail[0].after == nil)
            let audit = try await kominfo.get("/audit?q=truk").body.string
            #expect(audit.contains("Dihapus: risiko") && !audit.contains("[action_"))
        }
    }
}

@Suite("Action items, the inbox, meetings and recommendations")
struct ActionTests {
    @Test func agenciesSeeTheirOwnItemsOverdueFirst() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let mine = try await dlh.get("/actions").body.string
            #expect(mine.contains("Lengkapi bukti dukung Bank Sampah"))
            #expect(!mine.contains("Bahan paparan e-SPTPD"))
            #expect(mine.contains("Lewat tenggat"))
            let all = try await Browser.signedIn(app, Demo.coordinator).get("/actions").body.string
            #expect(all.contains("Bahan paparan e-SPTPD") && all.contains("Lengkapi bukti dukung Bank Sampah"))
            #expect(try await Browser.signedIn(app, Demo.leader).get("/actions").status == .ok)
            for user in [Demo.admin, Demo.assessor] {
                #expect(try await Browser.signedIn(app, user).get("/actions").status == .forbidden)
            }
            // another agency's item is out of reach by id
            let bapenda = try #require(try await ActionItem.query(on: app.db).filter(\.$title == "Bahan paparan e-SPTPD untuk Tahap II").first())
            #expect(try await dlh.get("/actions/\(bapenda.id!.uuidString)").status == .forbidden)
            #expect(try await dlh.post("/actions/\(bapenda.id!.uuidString)", ["status": "done", "revision": "0"]).status == .forbidden)
            #expect(try await dlh.post("/actions/\(bapenda.id!.uuidString)/comments", ["body": "x"]).status == .forbidden)
            #expect(try await ActionItem.find(bapenda.id, on: app.db)?.status == "open")
            // the overdue reminder is in DLH's inbox and counted on every page
            let inbox = try await dlh.get("/inbox").body.string
            #expect(inbox.contains("Lewat tenggat: Lengkapi bukti dukung Bank Sampah"))
            #expect(try await dlh.get("/").body.string.contains("class=\"count\""))
        }
    }

    @Test func longListsAreFilteredAndPaged() async throws {
        try await withPilar { app in
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            let agencies = try await Agency.query(on: app.db).filter(\.$region.$id == region.requireID()).all()
            let dlh = try #require(agencies.first { $0.code == "DLH" }), dinkes = try #require(agencies.first { $0.code == "DINKES" })
            // 70 open items for DLH (due 2022-01-01 … ), 10 done, 5 without a date; 20 open for DINKES due far ahead
            for n in 0..<105 {
                let agency = n < 85 ? dlh : dinkes
                let due: String? = n >= 80 && n < 85 ? nil : n < 85 ? String(format: "2022-01-%02d", n % 28 + 1) : "2099-12-31"
                let item = ActionItem(regionID: try region.requireID(), title: String(format: "Butir %03d", n), description: nil,
                                      assigneeID: try agency.requireID(), dueOn: due, priority: .normal, createdBy: "test", at: app.now)
                if n >= 70 && n < 80 { item.status = "done" }
                try await item.create(on: app.db)
            }
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // the demo's own two open items are overdue too: 2 + 70 + 5 undated + 20 = 97 open, 72 overdue
            let open = try await kominfo.get("/actions").body.string
            #expect(open.contains("<strong>97</strong> terbuka") && open.contains("72 lewat tenggat"))
            #expect(open.contains("Menampilkan 1–50 dari 97") && open.contains("href=\"/actions?page=2\""))
            #expect(!open.contains("Butir 070") && !open.contains("Butir 080"))
            // overdue first, undated last: the second page ends with DINKES's far items then the undated
            let second = try await kominfo.get("/actions?page=2").body.string
            #expect(second.contains("Menampilkan 51–97 dari 97"))
            let far = try #require(second.range(of: "Butir 104")), undated = try #require(second.range(of: "Butir 080"))
            #expect(far.lowerBound < undated.lowerBound)
            let overdue = try await kominfo.get("/actions?show=overdue&agency=DLH").body.string
            #expect(overdue.contains("Menampilkan 1–50 dari 71") && !overdue.contains("Butir 085"))
            #expect(overdue.contains("href=\"/actions?show=overdue&amp;agency=DLH&amp;page=2\""))
            let all = try await kominfo.get("/actions?show=all&agency=DINKES").body.string
            #expect(all.contains("Butir 085") && !all.contains("Butir 000") && !all.contains("class=\"pager\""))
            // the page's download links carry the filter, and the download holds what the filter selects
            #expect(overdue.contains("href=\"/actions/export.xlsx?show=overdue&amp;agency=DLH\""))
            let csv = try await kominfo.get("/actions/export.csv?show=overdue&agency=DLH").body.string
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == 1 + 71 && lines.dropFirst().allSatisfy { $0.contains(",DLH,") })
            let everything = try await kominfo.get("/actions/export.csv?show=all").body.string.split(separator: "\r\n")
            #expect(everything.count == 1 + (try await ActionItem.query(on: app.db).count()))
            // the old link still shows the closed ones
            #expect(try await kominfo.get("/actions?closed=1&agency=DLH&page=2").body.string.contains("Butir 070"))
            // an agency's filter cannot reach another agency's items
            let dlhUser = try await Browser.signedIn(app, Demo.dlh)
            let mine = try await dlhUser.get("/actions?agency=DINKES&show=all&page=2").body.string
            #expect(!mine.contains("Butir 085") && !mine.contains("id=\"f-agency\""))
            #expect(try await dlhUser.get("/actions?show=nonsense&page=-4").status == .ok)
        }
    }

    @Test func meetingDecisionBecomesAnItemTheAgencyCompletes() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let dinkes = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            // a meeting with two decisions
            let created = try await kominfo.post("/meetings", pairs: [
                ("title", "Rapat evaluasi Tahap I"), ("held_on", "2022-10-07"), ("starts_at", "13:30"), ("place", "Ruang Joyoboyo"),
                ("chair", "Kepala Diskominfo"), ("invited[]", dinkes.id!.uuidString), ("invited[]", dlhAgency.id!.uuidString),
                ("present[]", dlhAgency.id!.uuidString), ("minutes", "Paparan berjalan baik."),
                ("decisions", "DLH mengunggah data tonase Oktober.\nDinkes menyiapkan video Home Care."),
            ])
            #expect(created.status == .seeOther)
            let path = try #require(created.headers.first(name: .location))
            let page = try await kominfo.get(path).body.string
            #expect(page.contains("DLH mengunggah data tonase Oktober."))
            let decision = try #require(try await MeetingDecision.query(on: app.db).filter(\.$text == "DLH mengunggah data tonase Oktober.").first())
            // bad input on the meeting and the decision is refused
            #expect(try await kominfo.post("/meetings", ["title": "x", "held_on": "2022-02-30", "starts_at": "25:00"]).status == .unprocessableEntity)
            let actionPath = "\(path)/decisions/\(decision.id!.uuidString)/action"
            #expect(try await kominfo.post(actionPath, ["title": "", "assignee": UUID().uuidString, "priority": "normal"]).status == .unprocessableEntity)
            // when: the decision becomes DLH's action item
            #expect(try await kominfo.post(actionPath, ["title": "Unggah data tonase Oktober", "assignee": dlhAgency.id!.uuidString,
                                                        "due_on": "2022-10-14", "priority": "high"]).status == .seeOther)
            #expect(try await kominfo.post(actionPath, ["title": "lagi", "assignee": dlhAgency.id!.uuidString, "priority": "high"]).status == .conflict)
            let item = try #require(try await ActionItem.query(on: app.db).filter(\.$decision.$id == decision.id!).first())
            // then DLH finds it in its inbox and list, and completes it
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.get("/inbox").body.string.contains("Tugas baru: Unggah data tonase Oktober"))
            #expect(try await dlh.get("/actions").body.string.contains("Unggah data tonase Oktober"))
            #expect(try await dlh.post("/actions/\(item.id!.uuidString)/comments", ["body": "Sudah diunggah ke QW.ENV"]).status == .seeOther)
            #expect(try await dlh.post("/actions/\(item.id!.uuidString)", ["status": "done", "revision": "0"]).status == .seeOther)
            // a second, stale change is told
            #expect(try await dlh.post("/actions/\(item.id!.uuidString)", ["status": "in_progress", "revision": "0"]).status == .conflict)
            let done = try #require(try await ActionItem.find(item.id, on: app.db))
            #expect(done.status == "done")
            #expect(done.closedBy?.contains("kediri.dlh") == true)
            #expect(done.closedAt != nil)
            // the coordinator sees it done on the meeting page
            #expect(try await kominfo.get(path).body.string.contains("Selesai"))
            // the minutes are written afterwards, with another decision; bad input changes nothing
            let meeting = try #require(try await Meeting.query(on: app.db).filter(\.$title == "Rapat evaluasi Tahap I").first())
            #expect(try await kominfo.post(path, pairs: [("title", "Rapat evaluasi Tahap I"), ("held_on", "2022-10-07"),
                                                         ("minutes", "Notulen lengkap."), ("present[]", dinkes.id!.uuidString),
                                                         ("decisions", "Bappeda merekap capaian KPI.")]).status == .seeOther)
            #expect(try await Meeting.find(meeting.id, on: app.db)?.minutes == "Notulen lengkap.")
            #expect(try await MeetingDecision.query(on: app.db).filter(\.$meeting.$id == meeting.id!).count() == 3)
            #expect(try await MeetingAgency.query(on: app.db).filter(\.$meeting.$id == meeting.id!).filter(\.$present == true).count() == 1)
            #expect(try await kominfo.post(path, ["title": "", "held_on": "2022-13-01", "minutes": "hilang?"]).status == .unprocessableEntity)
            #expect(try await Meeting.find(meeting.id, on: app.db)?.minutes == "Notulen lengkap.")
            // agencies may read meetings but not record or change them, nor make items
            #expect(try await dlh.post(path, ["title": "x", "held_on": "2022-10-07"]).status == .forbidden)
            #expect(try await dlh.get(path).status == .ok)
            #expect(try await dlh.post("/meetings", ["title": "x", "held_on": "2022-10-07"]).status == .forbidden)
            #expect(try await dlh.post("/actions", ["title": "x", "assignee": dlhAgency.id!.uuidString, "priority": "normal"]).status == .forbidden)
            // the coordinator's own item, about an indicator and a programme
            let bank = try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == "environment").first())
            let made = try await kominfo.post("/actions", ["title": "Timbang ulang sampah TPA", "assignee": dlhAgency.id!.uuidString,
                                                           "priority": "high", "due_on": "2030-01-31", "indicator": "im.env",
                                                           "programme": bank.id!.uuidString])
            #expect(made.status == .seeOther)
            let linked = try #require(try await ActionItem.query(on: app.db).filter(\.$title == "Timbang ulang sampah TPA").first())
            #expect(linked.indicatorCode == "IM.ENV" && linked.$programme.id == bank.id && linked.$cycle.id != nil)
            #expect(try await kominfo.post("/actions", ["title": "x", "assignee": dlhAgency.id!.uuidString, "priority": "high", "indicator": "XX.9"]).status == .unprocessableEntity)
            #expect(try await kominfo.post("/actions", ["title": "x", "assignee": dlhAgency.id!.uuidString, "priority": "high", "programme": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await dlh.get("/programmes/\(bank.id!.uuidString)").body.string.contains("Timbang ulang sampah TPA"))
            // the coordinator's comment reaches DLH's inbox
            #expect(try await kominfo.post("/actions/\(linked.id!.uuidString)/comments", ["body": "Mohon foto timbangan."]).status == .seeOther)
            #expect(try await dlh.get("/inbox").body.string.contains("Komentar baru pada: Timbang ulang sampah TPA"))
            #expect(try await Browser.signedIn(app, Demo.assessor).get("/meetings").status == .forbidden)
        }
    }

    @Test func lastYearsRecommendationsAreFollowedUp() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let page = try await dlh.get("/cycles/2022/recommendations")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Ukur dampak bank sampah"))
            let own = try #require(try await Recommendation.query(on: app.db).filter(\.$text ~~ "bank sampah").first())
            let other = try #require(try await Recommendation.query(on: app.db).filter(\.$text ~~ "Forum Smart City").first())
            #expect(try await dlh.post("/cycles/2021/recommendations/\(own.id!.uuidString)", ["status": "in_progress", "note": "Timbangan di TPA dipasang", "back": "/cycles/2022/recommendations"]).status == .seeOther)
            #expect(try await Recommendation.find(own.id, on: app.db)?.followUpStatus == "in_progress")
            // backed by a document of DLH's library; another agency's document is refused
            let region = try #require(try await Region.query(on: app.db).filter(\.$code == "kota-kediri").first())
            let dlhAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DLH").first())
            let dinkesAgency = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINKES").first())
            let user = try #require(try await User.query(on: app.db).first())
            var docs: [UUID] = []
            for agency in [dlhAgency, dinkesAgency] {
                let e = Evidence()
                e.$region.id = region.id!
                e.$agency.id = agency.id
                e.kind = "link"; e.title = "Laporan \(agency.code)"; e.url = "https://example.org/\(agency.code)"
                e.createdBy = user.id!; e.createdAt = Date()
                try await e.create(on: app.db)
                docs.append(e.id!)
            }
            #expect(try await dlh.post("/cycles/2021/recommendations/\(own.id!.uuidString)", ["status": "in_progress", "note": "x", "evidence_id": docs[1].uuidString]).status == .unprocessableEntity)
            #expect(try await dlh.post("/cycles/2021/recommendations/\(own.id!.uuidString)", ["status": "in_progress", "note": "x", "evidence_id": docs[0].uuidString]).status == .seeOther)
            #expect(try await Recommendation.find(own.id, on: app.db)?.evidenceID == docs[0])
            #expect(try await dlh.get("/cycles/2022/recommendations").body.string.contains("Laporan DLH"))
            #expect(try await dlh.post("/cycles/2021/recommendations/\(own.id!.uuidString)", ["status": "maybe"]).status == .unprocessableEntity)
            #expect(try await dlh.post("/cycles/2021/recommendations/\(other.id!.uuidString)", ["status": "done"]).status == .forbidden)
            #expect(try await Browser.signedIn(app, Demo.assessor).get("/cycles/2022/recommendations").status == .ok)
            // the coordinator enters this year's letter
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.post("/cycles/2022/recommendations", ["kind": "recommendation", "text": "Integrasikan data quick win.", "agency": ""]).status == .seeOther)
            #expect(try await kominfo.post("/cycles/2022/recommendations", ["kind": "odd", "text": ""]).status == .unprocessableEntity)
            #expect(try await dlh.post("/cycles/2022/recommendations", ["kind": "strength", "text": "x"]).status == .forbidden)
            #expect(try await Recommendation.query(on: app.db).count() == 6)
            // a recommendation becomes its agency's action item
            #expect(try await kominfo.post("/cycles/2021/recommendations/\(own.id!.uuidString)/action", ["due_on": "2030-03-31", "back": "/cycles/2022/recommendations"]).status == .seeOther)
            let item = try #require(try await ActionItem.query(on: app.db).filter(\.$recommendation.$id == own.id!).first())
            #expect(item.dueOn == "2030-03-31")
            #expect(try await dlh.get("/cycles/2022/recommendations").body.string.contains(item.title))
            #expect(try await kominfo.post("/cycles/2021/recommendations/\(own.id!.uuidString)/action", ["due_on": "2030-02-30"]).status == .unprocessableEntity)
            #expect(try await dlh.post("/cycles/2021/recommendations/\(own.id!.uuidString)/action", [:]).status == .forbidden)
            #expect(try await ActionItem.query(on: app.db).filter(\.$recommendation.$id == own.id!).count() == 1)
        }
    }
}

@Suite("The plans API")
struct PlansAPITests {
    func json(_ b: Browser, _ path: String) async throws -> Any {
        let r = try await b.get(path)
        #expect(r.status == .ok, "\(path): \(r.status)")
        return try JSONSerialization.jsonObject(with: Data(buffer: r.body))
    }

    @Test func eachAnswersOnlyWhatTheUserMayRead() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let programmes = try #require(try await json(kominfo, "/api/v1/programmes") as? [[String: Any]])
            #expect(programmes.count == 6)
            let bank = try #require(programmes.first { ($0["title"] as? String)?.hasPrefix("Bank Sampah") == true })
            #expect(bank["horizon"] as? String == "quick_win")
            #expect(bank["pillar"] as? String == "environment")
            #expect(bank["owner_agency"] as? String == "DLH")
            #expect(bank["quick_win_year"] as? Int == 2022)
            #expect(bank["progress"] as? Int == 65)
            let kpis = try #require(bank["kpis"] as? [[String: Any]])
            #expect(kpis.map { $0["name"] as? String } == ["Bank sampah", "Bank sampah aktif", "Nasabah", "Sampah terkumpul per bulan"])
            #expect((kpis[0]["targets"] as? [Any])?.count == 12)
            #expect((kpis[0]["realisations"] as? [Any])?.count == 9)
            #expect(bank.keys.contains("element") && bank["element"] is NSNull)
            let all = try #require(try await json(kominfo, "/api/v1/actions") as? [[String: Any]])
            #expect(all.count == 4)
            let dlhItems = try #require(try await json(try await Browser.signedIn(app, Demo.dlh), "/api/v1/actions") as? [[String: Any]])
            #expect(dlhItems.count == 1)
            #expect(dlhItems.first?["assignee_agency"] as? String == "DLH")
            #expect((dlhItems.first?["links"] as? [String: Any])?["indicator"] as? String == "QW.ENV")
            #expect(dlhItems.first?["urgency"] as? String == "overdue")
            let meetings = try #require(try await json(kominfo, "/api/v1/meetings") as? [[String: Any]])
            #expect(meetings.first?["held_on"] as? String == "2022-09-29")
            #expect((meetings.first?["decisions"] as? [[String: Any]])?.count == 4)
            #expect((meetings.first?["present"] as? [String])?.contains("DINKES") == true)
            let recs = try #require(try await json(kominfo, "/api/v1/cycles/2021/recommendations") as? [[String: Any]])
            #expect(recs.count == 5)
            #expect(try await kominfo.get("/api/v1/cycles/1999/recommendations").status == .notFound)
            let inbox = try #require(try await json(try await Browser.signedIn(app, Demo.dlh), "/api/v1/inbox") as? [String: Any])
            #expect(inbox["unread"] as? Int == 1)
            // who may not
            let admin = try await Browser.signedIn(app, Demo.admin)
            for path in ["/api/v1/programmes", "/api/v1/actions", "/api/v1/meetings", "/api/v1/cycles/2021/recommendations"] {
                #expect(try await admin.get(path).status == .forbidden, "\(path)")
                #expect(try await Browser(app).get(path).status == .unauthorized, "\(path)")
            }
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            #expect(try await assessor.get("/api/v1/programmes").status == .ok)
            #expect(try await assessor.get("/api/v1/actions").status == .forbidden)
            // another region sees none of Kediri's
            try await OtherRegion.create(app)
            let other = try await Browser.signedIn(app, OtherRegion.coordinator)
            #expect((try await json(other, "/api/v1/programmes") as? [Any])?.isEmpty == true)
            #expect((try await json(other, "/api/v1/actions") as? [Any])?.isEmpty == true)
            #expect((try await json(other, "/api/v1/meetings") as? [Any])?.isEmpty == true)
            #expect(try await other.get("/api/v1/cycles/2021/recommendations").status == .notFound)
        }
    }
}

@Suite("The cycle's timeline")
struct TimelineTests {
    @Test func homePageCountsDownToTheNextStage() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            // 2022's stages are long over
            #expect(try await kominfo.get("/").body.string.contains("Semua tahapan siklus ini sudah lewat."))
            let version = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
            let today = CalendarDate.today(in: TimeZone(identifier: "Asia/Jakarta")!, now: app.now)
            let start = CalendarDate.adding(days: 10, to: today), end = CalendarDate.adding(days: 40, to: today)
            let year = Int(today.prefix(4))! + 1
            #expect(try await kominfo.post("/admin/cycles", ["year": String(year), "instrument": version.id!.uuidString, "status": "planning",
                                                             "stage_self_assessment_start": start, "stage_self_assessment_end": end]).status == .seeOther)
            let home = try await kominfo.get("/").body.string
            #expect(home.contains("10 hari lagi: Penilaian mandiri dan unggah bukti dukung dimulai"))
            #expect(home.contains("Setiap indikator dijawab dengan bukti dukung"))
        }
    }
}

@Suite("The KPI sheet")
struct KPISheetTests {
    func upload(_ b: Browser, _ data: [UInt8], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        return try await b.send(.POST, "/programmes/kpis.xlsx" + (csrf ? "?_csrf=\(b.csrf!)" : ""), headers: headers,
                                body: EvidenceTests.multipart(fields: [], filename: "kpi.xlsx", bytes: data))
    }

    @Test func downloadReadsBackAndBadSheetsChangeNothing() async throws {
        try await withPilar { app in
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            let file = try await dlh.get("/programmes/kpis.xlsx?year=2022")
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentDisposition)?.contains("kpi-kota-kediri-2022.xlsx") == true)
            let rows = try XLSX.read(Data(buffer: file.body), sheet: "Realisasi")
            #expect(rows.first?.compactMap { $0 } == KPISheetController.headers)
            #expect(rows.count == 1 + 4 * 12)
            // our own writer stands in for Excel: October filled in for one KPI
            // (the reader leaves out empty cells at the end of a row)
            var edited = rows.map { row in (0..<8).map { $0 < row.count ? row[$0].map(XLSX.Cell.text) ?? .empty : .empty } }
            let october = try #require(edited.firstIndex { if case .text("2022-10") = $0[4] { return true }; return false })
            edited[october][6] = .text("77")
            let good = try XLSX.write([XLSX.Sheet(name: "Realisasi", rows: edited)])
            #expect(try await upload(dlh, Array(good)).status == .seeOther)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-10").count() == 1)
            // a wrong number, an unknown KPI, a duplicate: refused with their rows, nothing changed
            edited[october][6] = .text("tujuh puluh")
            edited[october + 1][0] = .text(UUID().uuidString)
            edited[october + 1][6] = .text("5")
            edited.append(edited[october + 2])
            edited[edited.count - 1][6] = .text("1")
            edited[october + 2][6] = .text("1")
            let bad = try await upload(dlh, Array(try XLSX.write([XLSX.Sheet(name: "Realisasi", rows: edited)])))
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("<td class=\"num\">\(october + 1)</td><td>G</td>"))
            #expect(html.contains("<td class=\"num\">\(october + 2)</td><td>A</td>"))
            #expect(html.contains("muncul dua kali"))
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-10").first()?.value == 77)
            #expect(try await KPIRealisation.query(on: app.db).filter(\.$period == "2022-11").count() == 0)
            // not a spreadsheet, no token, no permission
            let junk = try await upload(dlh, Array("%PDF-1.4 not a sheet".utf8))
            #expect(junk.status == .unprocessableEntity)
            #expect(junk.body.string.contains("tidak dapat dibaca"))
            #expect(try await upload(dlh, Array(good), csrf: false).status == .forbidden)
            for user in [Demo.leader, Demo.assessor, Demo.admin] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/programmes/kpis.xlsx?year=2022").status == .forbidden)
                try await b.get("/")
                #expect(try await upload(b, Array(good)).status == .forbidden)
            }
            // another agency's sheet holds only its own KPIs, and DLH's rows in it are refused
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            let theirs = try XLSX.read(Data(buffer: try await dinkes.get("/programmes/kpis.xlsx?year=2022").body), sheet: "Realisasi")
            #expect(theirs.dropFirst().allSatisfy { $0.count > 1 && $0[1] == "Home Care: layanan kesehatan di rumah" })
            #expect(try await upload(dinkes, Array(good)).status == .unprocessableEntity)
        }
    }
}

@Suite("Planning a programme")
struct ProgrammePlanTests {
    @Test func detailsBudgetsAndMilestones() async throws {
        try await withPilar { app in
            let bank = try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == "environment").first())
            let id = bank.id!.uuidString
            let dpupr = try #require(try await Agency.query(on: app.db).filter(\.$code == "DPUPR").first())
            let dinsos = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINSOS").first())
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let details = ["title": "Bank Sampah", "horizon": "quick_win", "start_year": "2022", "end_year": "2025",
                           "quick_win_year": "2022", "element": "", "indicators": "qw.env, OC.ENV, IM.ENV", "public": "1"]
            #expect(try await kominfo.post("/programmes/\(id)/details", pairs: details.map { ($0.key, $0.value) }
                + [("supports[]", dpupr.id!.uuidString), ("supports[]", dinsos.id!.uuidString)]).status == .seeOther)
            let saved = try #require(try await Programme.find(bank.id, on: app.db))
            #expect(saved.endYear == 2025 && saved.isPublic && saved.title == "Bank Sampah")
            #expect(try await ProgrammeIndicator.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 3)
            #expect(try await ProgrammeSupport.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 2)
            var bad = details
            bad["indicators"] = "QW.ENV, NOPE.1"
            let refused = try await kominfo.post("/programmes/\(id)/details", bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("NOPE.1"))
            #expect(try await ProgrammeIndicator.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 3)
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            #expect(try await dlh.post("/programmes/\(id)/details", details).status == .forbidden)
            // the owner sets a budget and adds a milestone
            #expect(try await dlh.post("/programmes/\(id)/budgets", ["budget_year": "2024", "apbd": "700.000.000", "other": "50000000"]).status == .seeOther)
            let budget = try #require(try await ProgrammeBudget.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$year == 2024).first())
            #expect(budget.apbd == 700_000_000 && budget.other == 50_000_000)
            #expect(try await dlh.post("/programmes/\(id)/budgets", ["budget_year": "2031", "apbd": "1"]).status == .unprocessableEntity)
            #expect(try await dlh.post("/programmes/\(id)/budgets", ["budget_year": "2024", "apbd": "-5"]).status == .unprocessableEntity)
            #expect(try await dlh.post("/programmes/\(id)/milestones", ["milestone_title": "Timbangan digital di 50 bank sampah", "milestone_due": "2023-06-30"]).status == .seeOther)
            #expect(try await dlh.post("/programmes/\(id)/milestones", ["milestone_title": "", "milestone_due": "2023-02-30"]).status == .unprocessableEntity)
            #expect(try await Milestone.query(on: app.db).filter(\.$programme.$id == bank.id!).count() == 3)
            let dinkes = try await Browser.signedIn(app, Demo.dinkes)
            #expect(try await dinkes.post("/programmes/\(id)/budgets", ["budget_year": "2024", "apbd": "1"]).status == .forbidden)
            #expect(try await dinkes.post("/programmes/\(id)/milestones", ["milestone_title": "x"]).status == .forbidden)
            #expect(try await ProgrammeBudget.query(on: app.db).filter(\.$programme.$id == bank.id!).filter(\.$year == 2024).first()?.apbd == 700_000_000)
            // a programme document joins DLH's library and can back the indicator QW.ENV
            func document(_ b: Browser, _ bytes: [UInt8], name: String) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
                return try await b.send(.POST, "/programmes/\(id)/documents?_csrf=\(b.csrf!)", headers: headers,
                                        body: EvidenceTests.multipart(fields: [("title", "Perwali Bank Sampah")], filename: name, bytes: bytes))
            }
            try await dlh.get("/programmes/\(id)")
            #expect(try await document(dlh, EvidenceTests.pdf, name: "perwali.pdf").status == .seeOther)
            #expect(try await document(dlh, EvidenceTests.png, name: "palsu.pdf").status == .unprocessableEntity)
            try await dinkes.get("/")
            #expect(try await document(dinkes, EvidenceTests.pdf, name: "x.pdf").status == .forbidden)
            #expect(try await ProgrammeDocument.query(on: app.db).count() == 1)
            let doc = try #require(try await Evidence.query(on: app.db).filter(\.$title == "Perwali Bank Sampah").first())
            #expect(doc.$agency.id == bank.$owner.id)
            #expect(try await dlh.get("/programmes/\(id)").body.string.contains("Perwali Bank Sampah"))
            #expect(try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string.contains("<option value=\"\(doc.id!.uuidString)\">"))
        }
    }
}
