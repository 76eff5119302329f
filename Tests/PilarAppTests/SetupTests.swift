import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Set-up: agencies, users, pillar owners")
struct SetupTests {
    func agency(_ app: Application, _ code: String) async throws -> Agency {
        try #require(try await Agency.query(on: app.db).filter(\.$code == code).first())
    }

    @Test func agenciesAreAddedAndChangedByAdminAndCoordinator() async throws {
        try await withPilar { app in
            for user in [Demo.admin, Demo.coordinator] {
                let page = try await Browser.signedIn(app, user).get("/admin/agencies")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("DINKES"))
            }
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/admin/agencies").status == .forbidden)
                #expect(try await b.post("/admin/agencies", ["code": "DINSOSX", "name": "X"]).status == .forbidden)
            }
            let admin = try await Browser.signedIn(app, Demo.admin)
            let before = try await Agency.query(on: app.db).count()
            // when: a new agency, its code typed in lower case
            let created = try await admin.post("/admin/agencies", ["code": "bpbd", "name": "Badan Penanggulangan Bencana Daerah",
                                                                   "head_title": "Kepala Pelaksana BPBD"])
            #expect(created.status == .seeOther)
            let satpol = try await agency(app, "BPBD")
            #expect(satpol.headTitle == "Kepala Pelaksana BPBD")
            // a taken code, an empty name and a bad code are refused, with what was typed kept
            let taken = try await admin.post("/admin/agencies", ["code": "DINKES", "name": "<Dinas Kedua>"])
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.body.string.contains("Kode DINKES sudah dipakai"))
            #expect(taken.body.string.contains("value=\"&lt;Dinas Kedua&gt;\""))
            #expect(try await admin.post("/admin/agencies", ["code": "A B", "name": ""]).status == .unprocessableEntity)
            #expect(try await Agency.query(on: app.db).count() == before + 1)
            // a change, then a change that would take another agency's code
            let path = "/admin/agencies/\(satpol.id!.uuidString)"
            #expect(try await admin.post(path, ["code": "BPBD-KOTA", "name": "BPBD Kota", "head_title": ""]).status == .seeOther)
            #expect(try await agency(app, "BPBD-KOTA").name == "BPBD Kota")
            let clash = try await admin.post(path, ["code": "SATPOLPP", "name": "BPBD"])
            #expect(clash.status == .unprocessableEntity)
            #expect(try await Agency.find(satpol.id, on: app.db)?.code == "BPBD-KOTA")
            // without the form's token nothing happens
            #expect(try await admin.post("/admin/agencies", ["code": "CSRF", "name": "x"], withToken: false).status == .forbidden)
            #expect(try await Agency.query(on: app.db).filter(\.$code == "CSRF").count() == 0)
            // in the audit trail
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "agency").count() >= 3)
            // another region's agency cannot be reached by its id
            let (_, foreign) = try await OtherRegion.create(app)
            #expect(try await admin.post("/admin/agencies/\(foreign.id!.uuidString)", ["code": "X1", "name": "x"]).status == .notFound)
            #expect(try await Agency.find(foreign.id, on: app.db)?.code == "DINKES")
        }
    }

    @Test func usersAreCreatedResetAndDeactivated() async throws {
        try await withPilar { app in
            let admin = try await Browser.signedIn(app, Demo.admin)
            let dinkes = try await agency(app, "DINKES")
            // when: the admin adds an agency user
            let created = try await admin.post("/admin/users", ["username": "Kediri.Dinkes2", "display_name": "Staf Dinkes",
                                                                "role": "agency", "agency": dinkes.id!.uuidString])
            #expect(created.status == .created)
            let html = created.body.string
            let range = try #require(html.range(of: #"<code class="password">([^<]+)</code>"#, options: .regularExpression))
            let password = String(html[range].dropFirst(#"<code class="password">"#.count).dropLast("</code>".count))
            #expect(password.count == 16)
            // the stored password is a hash, and the new user signs in with the one shown
            let stored = try #require(try await User.query(on: app.db).filter(\.$username == "kediri.dinkes2").first())
            #expect(stored.passwordHash.hasPrefix("$2"))
            let staff = try await Browser.signedIn(app, ("kediri.dinkes2", password))
            #expect(try await staff.get("/my/indicators").status == .ok)
            // bad input is refused and nothing is stored
            let count = try await User.query(on: app.db).count()
            for form in [
                ["username": "kediri.dinkes2", "display_name": "x", "role": "agency", "agency": dinkes.id!.uuidString],
                ["username": "a b", "display_name": "x", "role": "leader"],
                ["username": "kediri.baru", "display_name": "x", "role": "agency"],
                ["username": "kediri.baru", "display_name": "x", "role": "superuser"],
                ["username": "kediri.baru", "display_name": "", "role": "leader"],
                ["username": "kediri.baru", "display_name": "x", "role": "agency", "agency": UUID().uuidString],
            ] {
                #expect(try await admin.post("/admin/users", form).status == .unprocessableEntity, "\(form)")
            }
            #expect(try await User.query(on: app.db).count() == count)
            // the coordinator manages users but cannot hand out or touch the admin role
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.get("/admin/users").status == .ok)
            #expect(try await kominfo.post("/admin/users", ["username": "kediri.admin2", "display_name": "x", "role": "admin"]).status == .unprocessableEntity)
            let adminUser = try #require(try await User.query(on: app.db).filter(\.$username == Demo.admin.0).first())
            #expect(try await kominfo.post("/admin/users/\(adminUser.id!.uuidString)/reset", [:]).status == .forbidden)
            #expect(try await kominfo.post("/admin/users/\(adminUser.id!.uuidString)", ["display_name": "x", "role": "leader", "active": "1"]).status == .forbidden)
            // others may not manage users
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/admin/users").status == .forbidden)
                #expect(try await b.post("/admin/users/\(stored.id!.uuidString)/reset", [:]).status == .forbidden)
            }
            // a reset makes a new password and signs the user out everywhere
            let reset = try await admin.post("/admin/users/\(stored.id!.uuidString)/reset", [:])
            #expect(reset.status == .ok)
            #expect(try await staff.get("/my/indicators").status == .seeOther)
            #expect(try await Browser(app).post("/signin", ["username": "kediri.dinkes2", "password": password]).status != .seeOther)
            // deactivation signs the user out and keeps them out
            let again = try await Browser.signedIn(app, Demo.dinkes)
            let dinkesUser = try #require(try await User.query(on: app.db).filter(\.$username == Demo.dinkes.0).first())
            let off = try await admin.post("/admin/users/\(dinkesUser.id!.uuidString)",
                                           ["display_name": "Dinkes", "role": "agency", "agency": dinkes.id!.uuidString])
            #expect(off.status == .seeOther)
            #expect(try await User.find(dinkesUser.id, on: app.db)?.active == false)
            #expect(try await again.get("/my/indicators").status == .seeOther)
            // nobody deactivates or demotes themselves
            let me = adminUser.id!.uuidString
            #expect(try await admin.post("/admin/users/\(me)", ["display_name": "Admin", "role": "admin"]).status == .unprocessableEntity)
            #expect(try await admin.post("/admin/users/\(me)", ["display_name": "Admin", "role": "leader", "active": "1"]).status == .unprocessableEntity)
            #expect(try await User.find(adminUser.id, on: app.db)?.active == true)
            let own = try await admin.post("/admin/users/\(me)/reset", [:])
            #expect(own.headers.first(name: .location) == "/account/password")
            #expect(try await User.find(adminUser.id, on: app.db)?.passwordHash == adminUser.passwordHash)
            // another region's user is out of reach
            try await OtherRegion.create(app)
            let foreign = try #require(try await User.query(on: app.db).filter(\.$username == OtherRegion.coordinator.0).first())
            #expect(try await admin.post("/admin/users/\(foreign.id!.uuidString)/reset", [:]).status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "user").filter(\.$field == "password").count() == 1)
        }
    }

    @Test func pillarOwnersAreChanged() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.get("/admin/pillars").status == .ok)
            let dinsos = try await agency(app, "DINSOS"), dishub = try await agency(app, "DISHUB"), dinkes = try await agency(app, "DINKES")
            let ok = try await kominfo.post("/admin/pillars/living", pairs: [
                ("lead", dinsos.id!.uuidString), ("supports[]", dishub.id!.uuidString), ("supports[]", dinkes.id!.uuidString),
            ])
            #expect(ok.status == .seeOther)
            let living = try #require(try await Pillar.query(on: app.db).filter(\.$code == "living").first())
            #expect(living.$leadAgency.id == dinsos.id)
            let supports = try await PillarSupport.query(on: app.db).filter(\.$pillar.$id == living.id!).all().map(\.$agency.id)
            #expect(Set(supports) == [dishub.id!, dinkes.id!])
            // an unknown agency is refused and nothing changes
            let bad = try await kominfo.post("/admin/pillars/living", pairs: [("lead", dinkes.id!.uuidString), ("supports[]", UUID().uuidString)])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await Pillar.find(living.id, on: app.db)?.$leadAgency.id == dinsos.id)
            #expect(try await kominfo.post("/admin/pillars/nosuch", ["lead": ""]).status == .notFound)
            for user in [Demo.dinkes, Demo.leader, Demo.assessor] {
                #expect(try await Browser.signedIn(app, user).post("/admin/pillars/living", ["lead": ""]).status == .forbidden)
            }
        }
    }
}

@Suite("Every page in both languages")
struct LanguageTests {
    @Test func noTextIsMissingInEitherLanguage() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let pages = ["/", "/my/indicators", "/review", "/progress", "/audit", "/cycles/2022/indicators/QW.ENV",
                         "/cycles/2022/assignments", "/cycles/2022/official", "/admin/agencies", "/admin/users",
                         "/admin/pillars", "/admin/cycles", "/admin/cycles/2022", "/account/password", "/programmes",
                         "/actions", "/meetings", "/inbox", "/cycles/2022/recommendations"]
            for language in ["id", "en"] {
                #expect(try await kominfo.post("/lang", ["lang": language, "back": "/"]).status == .seeOther)
                for path in pages {
                    let html = try await kominfo.get(path).body.string
                    #expect(html.contains("<html lang=\"\(language)\">"), "\(path)")
                    #expect(html.firstMatch(of: /\[[a-z0-9]+_[a-z0-9_]+\]/) == nil, "\(language) \(path): a text is missing")
                }
            }
            #expect(try await kominfo.get("/admin/users").body.string.contains("Add a user"))
            // the detail pages too
            let programme = try #require(try await Programme.query(on: app.db).first())
            let meeting = try #require(try await Meeting.query(on: app.db).first())
            let item = try #require(try await ActionItem.query(on: app.db).first())
            for language in ["id", "en"] {
                #expect(try await kominfo.post("/lang", ["lang": language, "back": "/"]).status == .seeOther)
                for path in ["/programmes/\(programme.id!.uuidString)", "/meetings/\(meeting.id!.uuidString)", "/actions/\(item.id!.uuidString)"] {
                    let response = try await kominfo.get(path)
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.body.string.firstMatch(of: /\[[a-z0-9]+_[a-z0-9_]+\]/) == nil, "\(language) \(path): a text is missing")
                }
            }
        }
    }
}

@Suite("Set-up: cycles, assignments, official scores")
struct CycleSetupTests {
    @Test func newCycleCopiesLastYear() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let form = try await kominfo.get("/admin/cycles")
            #expect(form.status == .ok)
            let version = try #require(try await InstrumentVersion.query(on: app.db).filter(\.$isModel == true).first())
            // evidence on an indicator of 2022: one valid beyond the 2023 evaluation, one that expires before it
            let cycle2022 = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            let qwEnv = try #require(try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle2022.id!).filter(\.$indicatorCode == "QW.ENV").first())
            let region = try #require(try await Region.query(on: app.db).first())
            let user = try #require(try await User.query(on: app.db).first())
            for (title, expiry) in [("Perwali bank sampah", nil), ("Izin lama", "2023-03-31") as (String, String?)] {
                let e = Evidence()
                e.$region.id = region.id!
                e.kind = "link"; e.title = title; e.url = "https://example.org/\(title.count)"; e.expiresOn = expiry
                e.createdBy = user.id!; e.createdAt = Date()
                try await e.create(on: app.db)
                try await EvidenceLink(evidenceID: e.id!, assessmentID: qwEnv.id!).create(on: app.db)
            }
            var fields = ["year": "2023", "instrument": version.id!.uuidString, "target_index": "3,6",
                          "evaluation_date": "2023-10-04", "status": "planning", "copy_from": "2022",
                          "copy_assignments": "1", "copy_targets": "1", "copy_evidence": "1",
                          "stage_self_assessment_start": "2023-07-01", "stage_self_assessment_end": "2023-09-22"]
            // bad input first: nothing is created
            for (key, value) in [("year", "23"), ("target_index", "9"), ("target_index", "tiga"), ("evaluation_date", "2023-02-30"),
                                 ("stage_self_assessment_end", "2023-06-01"), ("instrument", UUID().uuidString), ("copy_from", "1999"),
                                 ("year", "2022")] {
                var bad = fields
                bad[key] = value
                let response = try await kominfo.post("/admin/cycles", bad)
                #expect(response.status == .unprocessableEntity, "\(key)=\(value)")
                #expect(response.body.string.contains("value=\"\(value)\"") || key == "instrument" || key == "copy_from", "\(key) kept")
            }
            #expect(try await Cycle.query(on: app.db).count() == 3)
            // when
            let created = try await kominfo.post("/admin/cycles", fields)
            #expect(created.status == .seeOther)
            let summary = try await kominfo.get(created.headers.first(name: .location)!).body.string
            #expect(summary.contains("26 penugasan"))
            // then
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2023).first())
            #expect(cycle.targetIndex == 3.6)
            #expect(cycle.status == "planning")
            let copied = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).all()
            #expect(copied.count == 26)
            #expect(copied.allSatisfy { $0.statusValue == .notStarted && $0.selfLevel == nil && $0.verifiedLevel == nil })
            let old = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle2022.id!).all()
            for a in old {
                let new = try #require(copied.first { $0.indicatorCode == a.indicatorCode })
                #expect(new.$leadAgency.id == a.$leadAgency.id)
                #expect(new.targetLevel == a.targetLevel)
            }
            let oldContributors = try await AssessmentContributor.query(on: app.db).filter(\.$assessment.$id ~~ old.map { $0.id! }).count()
            #expect(try await AssessmentContributor.query(on: app.db).filter(\.$assessment.$id ~~ copied.map { $0.id! }).count() == oldContributors)
            let newQW = try #require(copied.first { $0.indicatorCode == "QW.ENV" })
            let links = try await EvidenceLink.query(on: app.db).filter(\.$assessment.$id == newQW.id!).with(\.$evidence).all()
            #expect(links.map(\.evidence.title) == ["Perwali bank sampah"])
            let stage = try #require(try await CycleStage.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$kind == "self_assessment").first())
            #expect(stage.endsOn == "2023-09-22")
            // the new cycle is now the current one
            #expect(try await kominfo.get("/my/indicators").body.string.contains("2023"))
            // its settings change later
            #expect(try await kominfo.get("/admin/cycles/2023").status == .ok)
            fields = ["target_index": "3.5", "evaluation_date": "2023-10-11", "status": "self_assessment",
                      "stage_stage1_start": "2023-10-11", "stage_stage1_end": "2023-10-11"]
            #expect(try await kominfo.post("/admin/cycles/2023", fields).status == .seeOther)
            #expect(try await Cycle.find(cycle.id, on: app.db)?.targetIndex == 3.5)
            #expect(try await kominfo.post("/admin/cycles/2023", ["target_index": "x", "status": "planning"]).status == .unprocessableEntity)
            #expect(try await Cycle.find(cycle.id, on: app.db)?.status == "self_assessment")
            #expect(try await kominfo.post("/admin/cycles/2031", fields).status == .notFound)
            // only the coordinator runs cycles
            for user in [Demo.admin, Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/admin/cycles").status == .forbidden)
                #expect(try await b.post("/admin/cycles", fields.merging(["year": "2024"]) { $1 }).status == .forbidden)
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "cycle").filter(\.$field == "copied_from").count() == 1)
        }
    }

    @Test func bulkAssignmentByPillarGroupAndSelection() async throws {
        try await withPilar { app in
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.get("/cycles/2022/assignments").status == .ok)
            #expect(try await kominfo.get("/cycles/2022/assignments?pillar=living").body.string.contains("QW.LIV"))
            let dinsos = try #require(try await Agency.query(on: app.db).filter(\.$code == "DINSOS").first())
            let bappeda = try #require(try await Agency.query(on: app.db).filter(\.$code == "BAPPEDA").first())
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            func lead(_ code: String) async throws -> UUID? {
                try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == code).first()?.$leadAgency.id
            }
            // a whole pillar
            let byPillar = try await kominfo.post("/cycles/2022/assignments", pairs: [
                ("scope", "pillar"), ("pillar", "living"), ("lead", dinsos.id!.uuidString),
                ("replace_contributors", "1"), ("contributors[]", bappeda.id!.uuidString), ("target", "4"),
            ])
            #expect(byPillar.status == .seeOther)
            let living = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode ~~ "LIV").all()
            #expect(living.count == 3)
            #expect(living.allSatisfy { $0.$leadAgency.id == dinsos.id && $0.targetLevel == 4 })
            let contributors = try await AssessmentContributor.query(on: app.db).filter(\.$assessment.$id ~~ living.map { $0.id! }).all()
            #expect(contributors.count == 3 && contributors.allSatisfy { $0.$agency.id == bappeda.id })
            // the answers were not touched
            #expect(living.first { $0.indicatorCode == "QW.LIV" }?.selfLevel == 5)
            // one by one
            #expect(try await kominfo.post("/cycles/2022/assignments", pairs: [("scope", "selected"), ("codes[]", "OC.ENV"), ("lead", "none")]).status == .seeOther)
            #expect(try await lead("OC.ENV") == nil)
            // a whole group
            #expect(try await kominfo.post("/cycles/2022/assignments", pairs: [("scope", "group"), ("group", "QW"), ("lead", bappeda.id!.uuidString)]).status == .seeOther)
            #expect(try await lead("QW.ENV") == bappeda.id)
            // bad input: nothing changes
            for pairs: [(String, String)] in [
                [("scope", "selected"), ("lead", dinsos.id!.uuidString)],
                [("scope", "selected"), ("codes[]", "NOPE"), ("lead", dinsos.id!.uuidString)],
                [("scope", "group"), ("group", "ZZ"), ("lead", dinsos.id!.uuidString)],
                [("scope", "selected"), ("codes[]", "QW.ENV"), ("lead", UUID().uuidString)],
                [("scope", "selected"), ("codes[]", "QW.ENV"), ("target", "9")],
                [("scope", "selected"), ("codes[]", "QW.ENV")],
            ] {
                #expect(try await kominfo.post("/cycles/2022/assignments", pairs: pairs).status == .unprocessableEntity, "\(pairs)")
            }
            #expect(try await lead("QW.ENV") == bappeda.id)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "assign").filter(\.$entityKey == "QW.ENV").count() == 1)
            // the agency now sees the indicator, the old lead no longer does
            #expect(try await Browser.signedIn(app, Demo.dlh).get("/cycles/2022/indicators/QW.ENV").status == .forbidden)
            for user in [Demo.admin, Demo.dinkes, Demo.leader, Demo.assessor] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/cycles/2022/assignments").status == .forbidden)
                #expect(try await b.post("/cycles/2022/assignments", pairs: [("scope", "group"), ("group", "QW"), ("lead", "none")]).status == .forbidden)
            }
            #expect(try await lead("QW.ENV") == bappeda.id)
        }
    }

    @Test func officialScoresFromTheLetter() async throws {
        try await withPilar { app in
            let assessor = try await Browser.signedIn(app, Demo.assessor)
            let current = try await assessor.get("/official")
            #expect(current.headers.first(name: .location) == "/cycles/2022/official")
            #expect(try await assessor.get("/cycles/2022/official").status == .ok)
            // out of range and not a number: nothing stored, typed values kept
            let bad = try await assessor.post("/cycles/2022/official", ["index": "3,41", "group_BL": "7", "indicator_QW.ENV": "abc"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("value=\"abc\""))
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).count() == 0)
            // when
            #expect(try await assessor.post("/cycles/2022/official", ["index": "3,41", "group_BL": "3.2", "pillar_living": "3.8",
                                                                      "indicator_QW.ENV": "3"]).status == .seeOther)
            let results = try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).all()
            #expect(Set(results.map { "\($0.scope):\($0.scopeCode)=\($0.score)" }) == ["index:=3.41", "group:BL=3.2", "pillar:living=3.8"])
            let qw = try #require(try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.id!).filter(\.$indicatorCode == "QW.ENV").first())
            #expect(qw.officialScore == 3)
            // the official layer and the letter's index are shown
            let api = try await assessor.get("/api/v1/cycles/2022/score?layer=official").body.string
            #expect(api.contains("\"scored\":1"))
            // clearing a field removes the score
            #expect(try await assessor.post("/cycles/2022/official", ["index": "3,41", "group_BL": ""]).status == .seeOther)
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).count() == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "official").count() >= 5)
            // the coordinator may enter them too; others may not
            #expect(try await Browser.signedIn(app, Demo.coordinator).get("/cycles/2022/official").status == .ok)
            for user in [Demo.admin, Demo.dinkes, Demo.leader] {
                let b = try await Browser.signedIn(app, user)
                #expect(try await b.get("/cycles/2022/official").status == .forbidden)
                #expect(try await b.post("/cycles/2022/official", ["index": "1"]).status == .forbidden)
            }
            try await OtherRegion.create(app)
            #expect(try await Browser.signedIn(app, OtherRegion.coordinator).post("/cycles/2022/official", ["index": "1"]).status == .notFound)
            #expect(try await OfficialResult.query(on: app.db).filter(\.$cycle.$id == cycle.id!).first()?.score == 3.41)
        }
    }
}
