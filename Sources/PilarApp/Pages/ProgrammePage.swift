import Fluent
import Foundation
import PilarCore
import Vapor

/// `GET /programmes/{id}`: a programme with its KPIs (a chart and a table per KPI for one year),
/// milestones, budget, indicators, risks, action items and documents, and the forms its owner
/// and the coordinator change it with. The KPI blocks are built in `ProgrammePage+KPIs.swift`.
enum ProgrammePage {
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

    struct Context: Encodable {
        var page: PageChrome
        var id: String
        var listHref: String
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
        /// What was typed in the form that was refused (by field name), else empty.
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

    /// A refused edit of one risk: its id, what was typed and what is wrong.
    struct RiskEdit {
        var id: UUID
        var form: [String: String]
        var errors: [String: String]
    }

    /// What a refused details form held, to show it again instead of what is stored.
    struct TypedDetails {
        var values: [String: String]
        var supports: [String]
    }

    static func build(_ req: Request, _ record: ProgrammeRecord, year requested: Int? = nil, form: [String: String] = [:],
                      errors: [String: String] = [:], saved: String? = nil, riskEdit: RiskEdit? = nil,
                      typedDetails: TypedDetails? = nil) async throws -> Context {
        let t = req.t, lang = req.language
        let actor = try req.actor()
        let p = record.programme, id = record.id
        let today = req.today(in: record.region.zone)
        let agencies = try await Setup.agencies(req, region: record.region)
        let code = Setup.codes(agencies)
        let owner = p.$owner.id.flatMap { oid in agencies.first { $0.id == oid } }
        let supportRows = try await ProgrammeSupport.query(on: req.db).filter(\.$programme.$id == id).all()
        let supports = supportRows.compactMap { code[$0.$agency.id] }.sorted()
        let budgets = try await ProgrammeBudget.query(on: req.db).filter(\.$programme.$id == id).sort(\.$year).all()
        let milestones = try await Milestone.query(on: req.db).filter(\.$programme.$id == id).sort(\.$position).all()
        let links = try await ProgrammeIndicator.query(on: req.db).filter(\.$programme.$id == id).sort(\.$indicatorCode).all()
        let risks = try await Risk.query(on: req.db).filter(\.$programme.$id == id).all()
        let cycle = try await CycleData.current(region: record.region, on: req.db)
        let canEdit = AccessPolicy.allows(actor, .editProgramme, on: record.resource)
        let kpis = try await kpiBlocks(req, record, requested: requested, form: form, canEdit: canEdit)
        let year = kpis.year
        let actions = try await ActionList.rows(req, region: record.region, filter: { $0.filter(\.$programme.$id == id) })
        let details: [String: String] = typedDetails?.values ?? [
            "title": p.title, "description": p.description ?? "", "element": p.elementCode ?? "", "horizon": p.horizon.rawValue,
            "start_year": String(p.startYear), "end_year": String(p.endYear), "quick_win_year": p.quickWinYear.map(String.init) ?? "",
            "indicators": links.map(\.indicatorCode).joined(separator: ", "), "public": p.isPublic ? "1" : "",
        ]
        let supportSet = Set(typedDetails?.supports ?? supportRows.map { $0.$agency.id.uuidString })
        let documentIDs = try await ProgrammeDocument.query(on: req.db).filter(\.$programme.$id == id).all().map { $0.$evidence.id }
        let documentRows = documentIDs.isEmpty ? [] : try await Evidence.query(on: req.db).filter(\.$id ~~ documentIDs)
            .sort(\.$createdAt).all().compactMap(EvidenceRef.init)
        return Context(
            page: PageChrome(request: req, title: p.title), id: id.uuidString, listHref: SiteURL.programmes.path,
            title: p.title, description: p.description,
            pillar: ProgrammesPage.pillarName(p.pillarCode, lang), owner: owner.map { "\($0.name) (\($0.code))" },
            supports: supports.isEmpty ? nil : supports.joined(separator: ", "), horizon: t["horizon_\(p.horizon.rawValue)"],
            status: t["programme_status_\(p.status.rawValue)"], statusKey: p.status.rawValue, progress: p.progress, quickWinYear: p.quickWinYear,
            years: p.startYear == p.endYear ? String(p.startYear) : "\(p.startYear)–\(p.endYear)", year: year,
            yearLinks: (p.startYear...p.endYear).map {
                PageChrome.NavItem(href: SiteURL.programme(id: id).path(query: ["year": String($0)]), label: String($0),
                                   current: $0 == year)
            },
            budgets: budgets.map {
                BudgetRow(year: $0.year, apbd: Format.rupiah($0.apbd, lang), other: Format.rupiah($0.other, lang),
                          total: Format.rupiah($0.apbd + $0.other, lang))
            },
            milestones: milestones.compactMap { m in
                m.id.map { mid in
                    MilestoneRow(title: m.title, due: Format.date(m.dueOn, t), done: m.done,
                                 overdue: !m.done && (m.dueOn.map { $0 < today } ?? false),
                                 action: SiteURL.milestone(programme: id, milestone: mid).path)
                }
            },
            indicators: links.map { l in
                LinkRow(code: l.indicatorCode, href: cycle.map { SiteURL.indicator(year: $0.year, code: l.indicatorCode).path })
            },
            kpis: kpis.blocks,
            risks: risks.compactMap { r in riskRow(r, programme: id, refused: riskEdit, agencies: agencies, codes: code, t: t) },
            actionRows: actions, canEdit: canEdit, canManage: AccessPolicy.allows(actor, .manageProgrammes),
            statuses: Programme.Status.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["programme_status_\($0.rawValue)"], selected: $0.rawValue == (form["status"] ?? p.status.rawValue))
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
            supportChecks: agencies.filter { $0.id != p.$owner.id }.compactMap { a in
                a.id.map { Setup.Check(value: $0.uuidString, label: a.code, checked: supportSet.contains($0.uuidString)) }
            },
            documentRows: documentRows,
            documentAction: SiteURL.programmeDocuments(programme: id).path(query: ["_csrf": req.csrfToken]))
    }

    static func riskRow(_ r: Risk, programme id: UUID, refused: RiskEdit?, agencies: [Setup.AgencyRow], codes: [UUID: String],
                        t: Catalog.Strings) -> RiskRow? {
        guard let rid = r.id else { return nil }
        let refused = refused.flatMap { $0.id == rid ? $0 : nil }
        let form = refused?.form ?? [
            "risk": r.risk, "cause": r.cause ?? "", "mitigation": r.mitigation ?? "", "owner": r.$owner.id?.uuidString ?? "",
            "likelihood": String(r.likelihood), "impact": String(r.impact),
        ]
        return RiskRow(id: rid.uuidString, action: SiteURL.risk(programme: id, risk: rid).path,
                       form: form, errors: refused?.errors ?? [:],
                       owners: Setup.agencyOptions(agencies, selected: form["owner"], empty: nil),
                       likelihoods: riskLevels(t, selected: form["likelihood"]), impacts: riskLevels(t, selected: form["impact"]),
                       risk: r.risk, cause: r.cause, likelihood: r.likelihood, impact: r.impact,
                       level: t[RiskRating.of(likelihood: r.likelihood, impact: r.impact).textKey],
                       mitigation: r.mitigation, owner: r.$owner.id.flatMap { codes[$0] })
    }

    static func riskLevels(_ t: Catalog.Strings, selected: String?) -> [Setup.Option] {
        RiskRating.levels.map { Setup.Option(value: String($0), label: t["risk_level_\($0)"], selected: String($0) == selected) }
    }
}
