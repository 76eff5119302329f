import Fluent
import Foundation
import PilarCore
import Vapor

/// `/programmes/{id}` and what its owner changes there: status and progress, milestones, KPI
/// realisations, risks; and the coordinator's KPIs and targets.
extension ProgrammeController {
    struct KPIRow: Encodable {
        var period: String
        var label: String
        var target: String
        var actual: String
        var note: String?
        var behind: Bool
        var evidence: EvidenceRef?
        /// The target as it goes into the coordinator's target form (no thousands dots).
        var targetInput: String
    }

    /// A document backing a figure or a follow-up: its title and where to open it.
    struct EvidenceRef: Encodable {
        var title: String
        var href: String
    }

    /// A KPI's chart for one year's periods, with its text summary (latest figure against its target).
    static func chart(_ k: KPI, periods: [String], targets tt: [String: Double], actuals aa: [String: Double],
                      t: Catalog.Strings, lang: Language) -> KPIChart {
        func fmt(_ v: Double) -> String { Format.number(v, lang) }
        let latest = periods.last { aa[$0] != nil }
        let summary = t.format("kpi_chart_summary", [
            "name": k.name, "unit": k.unit,
            "latest": latest.map { "\(periodLabel($0, t)) \(fmt(aa[$0]!))" } ?? "–",
            "target": latest.flatMap { tt[$0] }.map(fmt) ?? "–",
        ])
        // The chart shows one year: its axis needs only the month or quarter.
        return KPIChart(periods: periods, labels: periods.map { periodLabel($0, t, short: true) },
                        targets: tt.filter { periods.contains($0.key) }, actuals: aa.filter { periods.contains($0.key) },
                        summary: summary, format: fmt)
    }

    static func reference(_ e: Evidence) -> EvidenceRef {
        EvidenceRef(title: e.title, href: e.kind == "file" ? SiteURL.evidenceFile(id: e.id ?? UUID()).path : (e.url ?? ""))
    }

    /// The owning agency's documents, newest first, for the "backed by" selects.
    static func library(_ req: Request, region: Region, agency: UUID?) async throws -> [Evidence] {
        guard let agency else { return [] }
        return try await Evidence.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
            .filter(\.$agency.$id == agency).sort(\.$createdAt, .descending).limit(200).all()
    }

    struct KPIBlock: Encodable {
        var id: String
        var name: String
        var unit: String
        var higherIsBetter: Bool
        var baseline: String
        var frequency: String
        var chart: KPIChart
        var rows: [KPIRow]
        var action: String
        var targetsAction: String
        var periods: [Setup.Option]
        var latest: String?
        var documents: [Setup.Option]
    }

    struct MilestoneRow: Encodable {
        var title: String
        var due: String?
        var done: Bool
        var overdue: Bool
        var action: String
    }

    struct RiskRow: Encodable {
        var id: String
        var action: String
        /// The edit form's values: what is stored, or what was typed when it was refused.
        var form: [String: String]
        var errors: [String: String]
        var owners: [Setup.Option]
        var likelihoods: [Setup.Option]
        var impacts: [Setup.Option]
        var risk: String
        var cause: String?
        var likelihood: Int
        var impact: Int
        var level: String
        var mitigation: String?
        var owner: String?
    }

    struct BudgetRow: Encodable {
        var year: Int
        var apbd: String
        var other: String
        var total: String
    }

    struct LinkRow: Encodable {
        var code: String
        var href: String?
    }

    struct DetailPage: Encodable {
        var page: PageChrome
        var id: String
        var title: String
        var description: String?
        var pillar: String
        var owner: String?
        var supports: String?
        var horizon: String
        var status: String
        var statusKey: String
        var progress: Int
        var quickWinYear: Int?
        var years: String
        var year: Int
        var yearLinks: [PageChrome.NavItem]
        var budgets: [BudgetRow]
        var milestones: [MilestoneRow]
        var indicators: [LinkRow]
        var kpis: [KPIBlock]
        var risks: [RiskRow]
        /// The programme's action items (the shared `action_rows` template reads `actionRows`).
        var actionRows: [ActionRow]
        var canEdit: Bool
        var canManage: Bool
        var statuses: [Setup.Option]
        var action: String
        var riskAction: String
        var kpiAction: String
        var form: [String: String]
        var errors: [String: String]
        var saved: String?
        /// The new-risk form's choices (what was typed kept after a refusal).
        var riskOwners: [Setup.Option]
        var riskLikelihoods: [Setup.Option]
        var riskImpacts: [Setup.Option]
        var frequencies: [Setup.Option]
        /// The coordinator's form of the programme's details, filled with what is stored (or was typed).
        var details: [String: String]
        var detailsAction: String
        var budgetAction: String
        var milestoneAction: String
        var elements: [Setup.Option]
        var horizons: [Setup.Option]
        var supportChecks: [Setup.Check]
        var documentRows: [EvidenceRef]
        var documentAction: String
    }

    struct ShowQuery: Content {
        var year: Int?
        var saved: String?
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let loaded = try await load(req)
        let q = try? req.query.decode(ShowQuery.self)
        return try await render(req, loaded, year: q?.year, saved: q?.saved)
    }

    static func render(_ req: Request, _ loaded: Loaded, year requested: Int? = nil, form: [String: String] = [:],
                       errors: [String: String] = [:], saved: String? = nil,
                       riskEdit: (id: UUID, form: [String: String], errors: [String: String])? = nil) async throws -> View {
        let t = req.t, lang = req.language
        let actor = try req.actor()
        let p = loaded.programme
        let id = try p.requireID()
        let today = req.today(in: loaded.region.zone)
        let agencies = try await Setup.agencies(req, region: loaded.region)
        let code = Setup.codes(agencies)
        let owner = p.$owner.id.flatMap { oid in agencies.first { $0.id == oid } }
        let supports = try await ProgrammeSupport.query(on: req.db).filter(\.$programme.$id == id).all()
            .compactMap { code[$0.$agency.id] }.sorted()
        let budgets = try await ProgrammeBudget.query(on: req.db).filter(\.$programme.$id == id).sort(\.$year).all()
        let milestones = try await Milestone.query(on: req.db).filter(\.$programme.$id == id).sort(\.$position).all()
        let links = try await ProgrammeIndicator.query(on: req.db).filter(\.$programme.$id == id).sort(\.$indicatorCode).all()
        let risks = try await Risk.query(on: req.db).filter(\.$programme.$id == id).all()
        let kpis = try await KPI.query(on: req.db).filter(\.$programme.$id == id).sort(\.$position).all()
        let kpiIDs = kpis.compactMap(\.id)
        let targets = kpiIDs.isEmpty ? [] : try await KPITarget.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        let actuals = kpiIDs.isEmpty ? [] : try await KPIRealisation.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        // The year shown: asked for, else the quick-win year, else the latest with figures, else the first.
        let yearsWithData = Set(actuals.compactMap { Int($0.period.prefix(4)) })
        let year = requested.flatMap { (p.startYear...p.endYear).contains($0) ? $0 : nil }
            ?? p.quickWinYear ?? yearsWithData.max() ?? p.startYear
        let cycle = try await CycleData.current(region: loaded.region, on: req.db)
        let canEdit = AccessPolicy.allows(actor, .editProgramme, on: loaded.resource)
        let documents = canEdit ? try await library(req, region: loaded.region, agency: p.$owner.id) : []
        let usedIDs = Array(Set(actuals.compactMap(\.evidenceID)))
        let used = usedIDs.isEmpty ? [] : try await Evidence.query(on: req.db).filter(\.$id ~~ usedIDs).all()
        func fmt(_ v: Double) -> String { Format.number(v, lang) }
        let blocks = kpis.map { k -> KPIBlock in
            let frequency = KPI.Frequency(rawValue: k.frequency) ?? .monthly
            let periods = periods(frequency, year: year)
            let tt = Dictionary(targets.filter { $0.$kpi.id == k.id }.map { ($0.period, $0.target) }, uniquingKeysWith: { a, _ in a })
            let own = actuals.filter { $0.$kpi.id == k.id }
            let aa = Dictionary(own.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
            let notes = Dictionary(own.compactMap { r in r.note.map { (r.period, $0) } }, uniquingKeysWith: { a, _ in a })
            let backing = Dictionary(own.compactMap { r in r.evidenceID.flatMap { id in used.first { $0.id == id } }.map { (r.period, reference($0)) } },
                                     uniquingKeysWith: { a, _ in a })
            let labels = periods.map { periodLabel($0, t) }
            let latest = periods.last { aa[$0] != nil }
            return KPIBlock(
                id: k.id?.uuidString ?? "", name: k.name, unit: k.unit, higherIsBetter: k.higherIsBetter,
                baseline: k.baseline.map(fmt) ?? "–", frequency: t["frequency_\(k.frequency)"],
                chart: chart(k, periods: periods, targets: tt, actuals: aa, t: t, lang: lang),
                rows: periods.enumerated().map { i, period in
                    let target = tt[period], actual = aa[period]
                    var behind = false
                    if let target, let actual { behind = k.higherIsBetter ? actual < target : actual > target }
                    return KPIRow(period: period, label: labels[i], target: target.map(fmt) ?? "–", actual: actual.map(fmt) ?? "–",
                                  note: notes[period], behind: behind, evidence: backing[period],
                                  targetInput: target.map { Format.decimal(InstrumentText.level($0), lang) } ?? "")
                },
                action: SiteURL.kpiRealisations(programme: id, kpi: k.id ?? UUID()).path,
                targetsAction: SiteURL.kpiTargets(programme: id, kpi: k.id ?? UUID()).path,
                periods: periods.enumerated().map { i, period in
                    Setup.Option(value: period, label: labels[i], selected: period == (form["kpi"] == k.id?.uuidString ? form["period"] : nil) ?? periods.first { aa[$0] == nil })
                },
                latest: latest.map { periodLabel($0, t) },
                documents: [Setup.Option(value: "", label: t["kpi_no_document"], selected: true)]
                    + documents.map { Setup.Option(value: $0.id?.uuidString ?? "", label: $0.title, selected: false) })
        }
        let actions = try await ActionList.rows(req, region: loaded.region, filter: { $0.filter(\.$programme.$id == id) })
        let storedSupports = try await ProgrammeSupport.query(on: req.db).filter(\.$programme.$id == id).all().map { $0.$agency.id.uuidString }
        let typedDetails = form["title"] != nil && form["horizon"] != nil
        let details: [String: String] = typedDetails ? form : [
            "title": p.title, "description": p.description ?? "", "element": p.elementCode ?? "", "horizon": p.horizon,
            "start_year": String(p.startYear), "end_year": String(p.endYear), "quick_win_year": p.quickWinYear.map(String.init) ?? "",
            "indicators": links.map(\.indicatorCode).joined(separator: ", "), "public": p.isPublic ? "1" : "",
        ]
        let supportSet = Set(typedDetails ? Setup.list(req, "supports") : storedSupports)
        let documentIDs = try await ProgrammeDocument.query(on: req.db).filter(\.$programme.$id == id).all().map { $0.$evidence.id }
        let documentRows = documentIDs.isEmpty ? [] : try await Evidence.query(on: req.db).filter(\.$id ~~ documentIDs)
            .sort(\.$createdAt).all().map(reference)
        let page = DetailPage(
            page: PageChrome(request: req, title: p.title), id: id.uuidString, title: p.title, description: p.description,
            pillar: pillarName(p.pillarCode, lang), owner: owner.map { "\($0.name) (\($0.code))" },
            supports: supports.isEmpty ? nil : supports.joined(separator: ", "), horizon: t["horizon_\(p.horizon)"],
            status: t["programme_status_\(p.status)"], statusKey: p.status, progress: p.progress, quickWinYear: p.quickWinYear,
            years: p.startYear == p.endYear ? String(p.startYear) : "\(p.startYear)–\(p.endYear)", year: year,
            yearLinks: (p.startYear...p.endYear).map {
                PageChrome.NavItem(href: SiteURL.programme(id: id).path + "?year=\($0)", label: String($0), current: $0 == year)
            },
            budgets: budgets.map {
                BudgetRow(year: $0.year, apbd: Format.rupiah($0.apbd, lang), other: Format.rupiah($0.other, lang),
                          total: Format.rupiah($0.apbd + $0.other, lang))
            },
            milestones: milestones.map { m in
                MilestoneRow(title: m.title, due: Format.date(m.dueOn, t), done: m.done,
                             overdue: !m.done && (m.dueOn.map { $0 < today } ?? false),
                             action: SiteURL.milestone(programme: id, milestone: m.id ?? UUID()).path)
            },
            indicators: links.map { l in
                LinkRow(code: l.indicatorCode,
                        href: cycle.map { SiteURL.indicator(year: $0.year, code: l.indicatorCode).path })
            },
            kpis: blocks,
            risks: risks.map { r in
                let refused = riskEdit.flatMap { $0.id == r.id ? $0 : nil }
                let form = refused?.form ?? [
                    "risk": r.risk, "cause": r.cause ?? "", "mitigation": r.mitigation ?? "", "owner": r.$owner.id?.uuidString ?? "",
                    "likelihood": String(r.likelihood), "impact": String(r.impact),
                ]
                return RiskRow(id: r.id?.uuidString ?? "", action: SiteURL.risk(programme: id, risk: r.id ?? UUID()).path,
                               form: form, errors: refused?.errors ?? [:],
                               owners: Setup.agencyOptions(agencies, selected: form["owner"], empty: nil),
                               likelihoods: riskLevels(t, selected: form["likelihood"]), impacts: riskLevels(t, selected: form["impact"]),
                               risk: r.risk, cause: r.cause, likelihood: r.likelihood, impact: r.impact,
                               level: t[RiskRating.of(likelihood: r.likelihood, impact: r.impact).textKey],
                               mitigation: r.mitigation, owner: r.$owner.id.flatMap { code[$0] })
            },
            actionRows: actions, canEdit: canEdit, canManage: AccessPolicy.allows(actor, .manageProgrammes),
            statuses: Programme.Status.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["programme_status_\($0.rawValue)"], selected: $0.rawValue == (form["status"] ?? p.status))
            },
            action: SiteURL.programme(id: id).path, riskAction: SiteURL.programmeRisks(programme: id).path,
            kpiAction: SiteURL.programmeKPIs(programme: id).path, form: form, errors: errors,
            saved: saved.flatMap { t.lookup("programme_saved_\($0)") },
            riskOwners: Setup.agencyOptions(agencies, selected: form["owner"] ?? p.$owner.id?.uuidString, empty: nil),
            riskLikelihoods: riskLevels(t, selected: form["likelihood"]), riskImpacts: riskLevels(t, selected: form["impact"]),
            frequencies: KPI.Frequency.allCases.map { Setup.Option(value: $0.rawValue, label: t["frequency_\($0.rawValue)"], selected: $0 == .monthly) },
            details: details, detailsAction: SiteURL.programmeDetails(programme: id).path,
            budgetAction: SiteURL.programmeBudgets(programme: id).path,
            milestoneAction: SiteURL.programmeMilestones(programme: id).path,
            elements: [Setup.Option(value: "", label: "–", selected: (details["element"] ?? "").isEmpty)]
                + (SmartCityPillar.named(p.pillarCode)?.elements ?? []).map {
                    Setup.Option(value: $0.code, label: lang == .id ? $0.nameID : $0.nameEN, selected: $0.code == details["element"])
                },
            horizons: Programme.Horizon.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["horizon_\($0.rawValue)"], selected: $0.rawValue == details["horizon"])
            },
            supportChecks: agencies.filter { $0.id != p.$owner.id }.map { a in
                Setup.Check(value: a.id?.uuidString ?? "", label: a.code, checked: supportSet.contains(a.id?.uuidString ?? ""))
            },
            documentRows: documentRows,
            documentAction: SiteURL.programmeDocuments(programme: id).path + "?_csrf=" + req.csrfToken)
        return try await req.view.render("programme", page)
    }

    // MARK: Changes by the owning agency

    /// `POST /programmes/{id}`: status and progress.
    @Sendable static func update(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let t = req.t
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let status = Programme.Status(rawValue: form["status"] ?? "")
        if status == nil { errors["status"] = t["setup_status_unknown"] }
        let progress = Int(form["progress"] ?? "")
        if progress == nil || !(0...100).contains(progress!) { errors["progress"] = t["programme_progress_invalid"] }
        guard errors.isEmpty, let status, let progress else {
            return try await render(req, loaded, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let p = loaded.programme
        let changes: [AuditLog.Change] = [
            .init(field: "status", before: p.status, after: status.rawValue),
            .init(field: "progress", before: String(p.progress), after: String(progress)),
        ]
        p.status = status.rawValue
        p.progress = progress
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await p.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: p.title, action: "update", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: try p.requireID()).path + "?saved=status")
    }

    /// `POST /programmes/{id}/milestones/{milestone}`: done or not.
    @Sendable static func milestone(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let pid = try loaded.programme.requireID()
        guard let mid = req.parameters.get("milestone", as: UUID.self), let m = try await Milestone.find(mid, on: req.db),
              m.$programme.id == pid else { throw Abort(.notFound) }
        let form = try Setup.fields(req)
        let done = form["done"] == "1"
        let before = m.done
        m.done = done
        m.doneOn = done ? (m.doneOn ?? req.today(in: loaded.region.zone)) : nil
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await m.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: loaded.programme.title, action: "update",
                                      changes: [.init(field: "milestone", before: "\(m.title): \(before ? "✓" : "–")",
                                                      after: "\(m.title): \(done ? "✓" : "–")")], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=milestone")
    }

    /// `POST /programmes/{id}/kpis/{kpi}`: the realisation of one period (empty value removes it).
    @Sendable static func realisation(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let t = req.t
        let pid = try loaded.programme.requireID()
        guard let kid = req.parameters.get("kpi", as: UUID.self), let kpi = try await KPI.find(kid, on: req.db),
              kpi.$programme.id == pid else { throw Abort(.notFound) }
        var form = try Setup.fields(req)
        form["kpi"] = kid.uuidString
        let period = form["period"] ?? ""
        let year = Int(period.prefix(4))
        var errors: [String: String] = [:]
        let frequency = KPI.Frequency(rawValue: kpi.frequency) ?? .monthly
        if year == nil || !(loaded.programme.startYear...loaded.programme.endYear).contains(year!)
            || !periods(frequency, year: year!).contains(period) {
            errors["period"] = t["kpi_period_unknown"]
        }
        var value: Double?
        switch Setup.number(form["value"]) {
        case let .success(v): value = v
        case .failure: errors["value"] = t["setup_number_invalid"]
        }
        let note = form["note"] ?? ""
        if note.count > 1000 { errors["note"] = t["setup_too_long"] }
        var evidenceID: UUID?
        if let raw = form["evidence_id"], !raw.isEmpty {
            let documents = try await library(req, region: loaded.region, agency: loaded.programme.$owner.id)
            evidenceID = documents.first { $0.id?.uuidString == raw }?.id
            if evidenceID == nil { errors["evidence_id"] = t["evidence_attach_unknown"] }
        }
        guard errors.isEmpty else {
            return try await render(req, loaded, year: year, form: form, errors: errors.mapKeys { "\(kid.uuidString)_\($0)" })
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        try await KPISave.set(on: req.db, kpi: kpi, period: period, value: value, note: note.isEmpty ? nil : note,
                              evidenceID: evidenceID, user: user, regionID: loaded.region.requireID(), programme: loaded.programme,
                              at: req.now)
        return req.redirect(to: SiteURL.programme(id: pid).path + "?year=\(year!)&saved=kpi")
    }

    /// `POST /programmes/{id}/risks`: a new risk.
    @Sendable static func addRisk(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let form = try Setup.fields(req)
        let (values, errors) = try await readRisk(form, req: req, loaded: loaded)
        guard errors.isEmpty, let values else {
            return try await render(req, loaded, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let risk = Risk()
        risk.$programme.id = try loaded.programme.requireID()
        values.apply(to: risk)
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await risk.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: loaded.programme.title, action: "update",
                                      changes: [.init(field: "risk", before: nil, after: values.summary)], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: try loaded.programme.requireID()).path + "?saved=risk")
    }

    /// `POST /programmes/{id}/risks/{risk}`: the owner revises a risk (`action=save`) or removes one
    /// that no longer applies (`action=remove`); either way the trail keeps what it said.
    @Sendable static func changeRisk(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let pid = try loaded.programme.requireID()
        guard let rid = req.parameters.get("risk", as: UUID.self), let risk = try await Risk.find(rid, on: req.db),
              risk.$programme.id == pid else { throw Abort(.notFound) }
        let form = try Setup.fields(req)
        let before = RiskValues(risk).summary
        let user = try req.requireUser()
        @Sendable func record(_ after: String?, on tx: any Database) async throws {
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: loaded.programme.title, action: after == nil ? "delete" : "update",
                                      changes: [.init(field: "risk", before: before, after: after)], actor: user)
        }
        switch form["action"] {
        case "remove":
            try await req.db.writeTransaction { tx in
                try await risk.delete(on: tx)
                try await record(nil, on: tx)
            }
            return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=risk_removed")
        case "save":
            let (values, errors) = try await readRisk(form, req: req, loaded: loaded)
            guard errors.isEmpty, let values else {
                return try await render(req, loaded, riskEdit: (rid, form, errors)).encodeResponse(status: .unprocessableEntity, for: req)
            }
            values.apply(to: risk)
            try await req.db.writeTransaction { tx in
                try await risk.save(on: tx)
                try await record(values.summary, on: tx)
            }
            return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=risk")
        default:
            throw Abort(.badRequest, reason: "error_action")
        }
    }

    /// What a risk says, checked.
    struct RiskValues {
        var risk: String
        var cause: String?
        var likelihood: Int
        var impact: Int
        var mitigation: String?
        var owner: UUID?

        func apply(to r: Risk) {
            r.risk = risk
            r.cause = cause
            r.likelihood = likelihood
            r.impact = impact
            r.mitigation = mitigation
            r.$owner.id = owner
        }

        /// One line for the audit trail.
        var summary: String {
            [risk, cause.map { "(\($0))" }, "L\(likelihood)×I\(impact)", mitigation.map { "→ \($0)" }]
                .compactMap { $0 }.joined(separator: " ")
        }
    }

    static func readRisk(_ form: [String: String], req: Request, loaded: Loaded) async throws -> (RiskValues?, [String: String]) {
        let t = req.t
        var errors: [String: String] = [:]
        let text = form["risk"] ?? ""
        if text.isEmpty { errors["risk"] = t["setup_required"] }
        if text.count > 500 { errors["risk"] = t["setup_too_long"] }
        if (form["cause"] ?? "").count > 500 { errors["cause"] = t["setup_too_long"] }
        if (form["mitigation"] ?? "").count > 1000 { errors["mitigation"] = t["setup_too_long"] }
        let likelihood = Int(form["likelihood"] ?? ""), impact = Int(form["impact"] ?? "")
        if likelihood == nil || !RiskRating.levels.contains(likelihood!) { errors["likelihood"] = t["risk_level_invalid"] }
        if impact == nil || !RiskRating.levels.contains(impact!) { errors["impact"] = t["risk_level_invalid"] }
        // The risk's owner: any agency of the region, the programme's owner when none is chosen.
        var owner = loaded.programme.$owner.id
        if let raw = form["owner"], !raw.isEmpty {
            if let id = UUID(uuidString: raw), let agency = try await Agency.find(id, on: req.db), agency.$region.id == loaded.region.id {
                owner = id
            } else {
                errors["owner"] = t["setup_agency_unknown"]
            }
        }
        guard errors.isEmpty, let likelihood, let impact else { return (nil, errors) }
        func optional(_ key: String) -> String? { form[key].flatMap { $0.isEmpty ? nil : $0 } }
        return (RiskValues(risk: text, cause: optional("cause"), likelihood: likelihood, impact: impact,
                           mitigation: optional("mitigation"), owner: owner), [:])
    }

    static func riskLevels(_ t: Catalog.Strings, selected: String?) -> [Setup.Option] {
        RiskRating.levels.map { Setup.Option(value: String($0), label: t["risk_level_\($0)"], selected: String($0) == selected) }
    }

    // MARK: KPIs and targets (coordinator)

    /// `POST /programmes/{id}/kpis`: a new KPI.
    @Sendable static func addKPI(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.manageProgrammes)
        let t = req.t
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let name = form["kpi_name"] ?? "", unit = form["kpi_unit"] ?? ""
        if name.isEmpty { errors["kpi_name"] = t["setup_required"] }
        if unit.isEmpty { errors["kpi_unit"] = t["setup_required"] }
        if name.count > 300 || unit.count > 40 { errors["kpi_name"] = t["setup_too_long"] }
        let frequency = KPI.Frequency(rawValue: form["kpi_frequency"] ?? "")
        if frequency == nil { errors["kpi_frequency"] = t["setup_status_unknown"] }
        var baseline: Double?
        switch Setup.number(form["kpi_baseline"]) {
        case let .success(v): baseline = v
        case .failure: errors["kpi_baseline"] = t["setup_number_invalid"]
        }
        guard errors.isEmpty, let frequency else {
            return try await render(req, loaded, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let pid = try loaded.programme.requireID()
        let count = try await KPI.query(on: req.db).filter(\.$programme.$id == pid).count()
        let kpi = KPI(programmeID: pid, position: count, name: name, unit: unit, higherIsBetter: form["kpi_lower_is_better"] != "1",
                      baseline: baseline, frequency: frequency)
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await kpi.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: loaded.programme.title, action: "update",
                                      changes: [.init(field: "kpi", before: nil, after: "\(name) (\(unit))")], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=kpi")
    }

    /// `POST /programmes/{id}/kpis/{kpi}/targets`: the targets of one year's periods (`target_<period>`; empty removes).
    @Sendable static func targets(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.manageProgrammes)
        let t = req.t
        let pid = try loaded.programme.requireID()
        guard let kid = req.parameters.get("kpi", as: UUID.self), let kpi = try await KPI.find(kid, on: req.db),
              kpi.$programme.id == pid else { throw Abort(.notFound) }
        let form = try Setup.fields(req)
        guard let year = Int(form["year"] ?? ""), (loaded.programme.startYear...loaded.programme.endYear).contains(year) else {
            throw Abort(.badRequest, reason: "kpi_period_unknown")
        }
        let periods = periods(KPI.Frequency(rawValue: kpi.frequency) ?? .monthly, year: year)
        var values: [String: Double?] = [:]
        var errors: [String: String] = [:]
        for period in periods {
            switch Setup.number(form["target_\(period)"]) {
            case let .success(v): values[period] = v
            case .failure: errors["\(kid.uuidString)_target"] = t.format("kpi_target_invalid", ["period": periodLabel(period, t)])
            }
        }
        guard errors.isEmpty else {
            return try await render(req, loaded, year: year, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let chosen = values
        try await req.db.writeTransaction { tx in
            let stored = try await KPITarget.query(on: tx).filter(\.$kpi.$id == kid).filter(\.$period ~~ periods).all()
            var changes: [AuditLog.Change] = []
            for period in periods {
                let old = stored.first { $0.period == period }
                let new = chosen[period] ?? nil
                guard old?.target != new else { continue }
                changes.append(.init(field: "target_\(period)", before: old.map { InstrumentText.level($0.target) }, after: AuditLog.text(new)))
                if let old { try await old.delete(on: tx) }
                if let new { try await KPITarget(kpiID: kid, period: period, target: new).create(on: tx) }
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "kpi", key: kpi.name,
                                      action: "update", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?year=\(year)&saved=targets")
    }
}

/// Writing a KPI realisation: one place for the programme page and the spreadsheet upload.
enum KPISave {
    static func set(on db: any Database, kpi: KPI, period: String, value: Double?, note: String?, evidenceID: UUID? = nil,
                    user: User, regionID: UUID, programme: Programme, at now: Date) async throws {
        try await db.writeTransaction { tx in
            try await write(on: tx, kpi: kpi, period: period, value: value, note: note, evidenceID: evidenceID, user: user,
                            regionID: regionID, at: now)
        }
    }

    /// Inside the caller's transaction: replaces the period's realisation (none when `value` is nil).
    static func write(on tx: any Database, kpi: KPI, period: String, value: Double?, note: String?, evidenceID: UUID? = nil,
                      user: User, regionID: UUID, at now: Date) async throws {
        let kid = try kpi.requireID()
        let old = try await KPIRealisation.query(on: tx).filter(\.$kpi.$id == kid).filter(\.$period == period).first()
        if let old { try await old.delete(on: tx) }
        if let value {
            let realisation = KPIRealisation(kpiID: kid, period: period, value: value, note: note,
                                             enteredBy: "\(user.displayName) (\(user.username))", at: now)
            realisation.evidenceID = evidenceID
            try await realisation.create(on: tx)
        }
        try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "kpi", key: "\(kpi.name) \(period)",
                                  action: "realisation",
                                  changes: [.init(field: "value", before: old.map { InstrumentText.level($0.value) }, after: AuditLog.text(value)),
                                            .init(field: "note", before: old?.note, after: note)],
                                  actor: user)
    }
}

extension Dictionary {
    func mapKeys<K: Hashable>(_ transform: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(map { (transform($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}

extension ProgrammeController.RiskValues {
    init(_ r: Risk) {
        self.init(risk: r.risk, cause: r.cause, likelihood: r.likelihood, impact: r.impact, mitigation: r.mitigation,
                  owner: r.$owner.id)
    }
}
