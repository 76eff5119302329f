import Fluent
import Foundation
import PilarCore
import Vapor

/// `/programmes` and `/programmes/{id}`: the masterplan's programmes and quick wins, their KPIs
/// (with a chart of each series against its target), milestones, budget, indicators and risks.
/// The owning agency keeps its programme up to date; the coordinator creates programmes and KPIs.
enum ProgrammeController {
    // MARK: Loading and permission

    struct Loaded {
        let programme: Programme
        let region: Region
        var resource: AccessPolicy.Resource {
            AccessPolicy.Resource(regionID: region.id?.uuidString ?? "",
                                  agencyIDs: Set([programme.$owner.id?.uuidString].compactMap { $0 }))
        }
    }

    static func load(_ req: Request) async throws -> Loaded {
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let programme = try await Programme.find(id, on: req.db),
              programme.$region.id == region.id else { throw Abort(.notFound) }
        let loaded = Loaded(programme: programme, region: region)
        try req.authorize(.readProgrammes, on: loaded.resource)
        return loaded
    }

    /// The periods a KPI of `frequency` has in `year`: `2022-01`…, `2022-Q1`…, or `2022`.
    static func periods(_ frequency: KPI.Frequency, year: Int) -> [String] {
        switch frequency {
        case .monthly: (1...12).map { String(format: "%04d-%02d", year, $0) }
        case .quarterly: (1...4).map { "\(year)-Q\($0)" }
        case .yearly: [String(year)]
        }
    }

    /// `2022-03` → `Mar 2022` (`Mar` when `short`), `2022-Q1` → `Q1 2022`, `2022` → `2022`.
    static func periodLabel(_ period: String, _ t: Catalog.Strings, short: Bool = false) -> String {
        let parts = period.split(separator: "-").map(String.init)
        guard parts.count == 2 else { return period }
        let head = Int(parts[1]).map { String(t["month_\($0)"].prefix(3)) } ?? parts[1]
        return short ? head : "\(head) \(parts[0])"
    }

    // MARK: The list

    struct ListRow: Encodable {
        var link: String
        var title: String
        var pillar: String
        var owner: String?
        var horizon: String
        var status: String
        var statusKey: String
        var progress: Int
        var quickWinYear: Int?
        var kpis: Int
        var years: String
    }

    struct ListPage: Encodable {
        var page: PageChrome
        var rows: [ListRow]
        var pillars: [Setup.Option]
        var horizons: [Setup.Option]
        var filterPillar: String
        var filterHorizon: String
        var canCreate: Bool
        var form: [String: String]
        var errors: [String: String]
        var owners: [Setup.Option]
        var formPillars: [Setup.Option]
        var formHorizons: [Setup.Option]
        var saved: Bool
        /// Realisations taken from an uploaded sheet.
        var uploaded: Int?
        var canFillSheet: Bool
        var sheetYear: Int
        var sheetAction: String
    }

    struct Filter: Content {
        var pillar: String?
        var horizon: String?
        var saved: String?
        var uploaded: Int?
    }

    static func pillarName(_ code: String, _ lang: Language) -> String {
        SmartCityPillar.named(code).map { lang == .id ? $0.nameID : $0.nameEN } ?? code
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        let filter = try? req.query.decode(Filter.self)
        return try await renderList(req, filterPillar: filter?.pillar ?? "", filterHorizon: filter?.horizon ?? "",
                                    form: ["horizon": Programme.Horizon.quickWin.rawValue], saved: filter?.saved == "1",
                                    uploaded: filter?.uploaded)
    }

    static func renderList(_ req: Request, filterPillar: String, filterHorizon: String, form: [String: String],
                           errors: [String: String] = [:], saved: Bool = false, uploaded: Int? = nil) async throws -> View {
        try req.authorize(.readProgrammes)
        let t = req.t, lang = req.language
        let region = try await req.currentRegion()
        var query = Programme.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        if !filterPillar.isEmpty { query = query.filter(\.$pillarCode == filterPillar) }
        if !filterHorizon.isEmpty { query = query.filter(\.$horizon == filterHorizon) }
        let programmes = try await query.sort(\.$pillarCode).sort(\.$title).all()
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let ids = programmes.compactMap(\.id)
        let kpis = ids.isEmpty ? [] : try await KPI.query(on: req.db).filter(\.$programme.$id ~~ ids).all()
        let order = SmartCityPillar.all.map(\.code)
        let rows = programmes.sorted { (order.firstIndex(of: $0.pillarCode) ?? 9, $0.title) < (order.firstIndex(of: $1.pillarCode) ?? 9, $1.title) }
            .map { p in
                ListRow(link: SiteURL.programme(id: p.id ?? UUID()).path, title: p.title, pillar: pillarName(p.pillarCode, lang),
                        owner: p.$owner.id.flatMap { code[$0] }, horizon: t["horizon_\(p.horizon)"],
                        status: t["programme_status_\(p.status)"], statusKey: p.status, progress: p.progress,
                        quickWinYear: p.quickWinYear, kpis: kpis.filter { $0.$programme.id == p.id }.count,
                        years: p.startYear == p.endYear ? String(p.startYear) : "\(p.startYear)–\(p.endYear)")
            }
        func pillarOptions(_ selected: String?) -> [Setup.Option] {
            SmartCityPillar.all.map { Setup.Option(value: $0.code, label: lang == .id ? $0.nameID : $0.nameEN, selected: $0.code == selected) }
        }
        func horizonOptions(_ selected: String?) -> [Setup.Option] {
            Programme.Horizon.allCases.map { Setup.Option(value: $0.rawValue, label: t["horizon_\($0.rawValue)"], selected: $0.rawValue == selected) }
        }
        let page = ListPage(
            page: PageChrome(request: req, title: t["programmes_title"]), rows: rows,
            pillars: pillarOptions(filterPillar), horizons: horizonOptions(filterHorizon),
            filterPillar: filterPillar, filterHorizon: filterHorizon,
            canCreate: AccessPolicy.allows(try req.actor(), .manageProgrammes), form: form, errors: errors,
            owners: Setup.agencyOptions(agencies, selected: form["owner"], empty: nil),
            formPillars: pillarOptions(form["pillar"]), formHorizons: horizonOptions(form["horizon"]), saved: saved,
            uploaded: uploaded, canFillSheet: AccessPolicy.allows(try req.actor(), .editProgramme),
            sheetYear: Int(req.today(in: region.zone).prefix(4)) ?? 2022,
            sheetAction: SiteURL.kpiSheet.path + "?_csrf=" + req.csrfToken)
        return try await req.view.render("programmes", page)
    }

    /// `POST /programmes`: a new programme (coordinator).
    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageProgrammes)
        let t = req.t
        let region = try await req.currentRegion()
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let title = form["title"] ?? ""
        if title.isEmpty { errors["title"] = t["setup_required"] }
        if title.count > 300 { errors["title"] = t["setup_too_long"] }
        if SmartCityPillar.named(form["pillar"] ?? "") == nil { errors["pillar"] = t["assign_pillar_unknown"] }
        let horizon = Programme.Horizon(rawValue: form["horizon"] ?? "")
        if horizon == nil { errors["horizon"] = t["setup_status_unknown"] }
        let owner = try await UUID(uuidString: form["owner"] ?? "").asyncMap { try await Agency.find($0, on: req.db) } ?? nil
        if owner == nil || owner?.$region.id != region.id { errors["owner"] = t["setup_agency_unknown"] }
        let start = Int(form["start_year"] ?? ""), end = Int(form["end_year"] ?? "")
        if start == nil || !(2000...2100).contains(start!) { errors["start_year"] = t["setup_year_invalid"] }
        if end == nil || !(2000...2100).contains(end!) { errors["end_year"] = t["setup_year_invalid"] }
        if let start, let end, end < start { errors["end_year"] = t["programme_end_before_start"] }
        var quickWinYear: Int?
        if let raw = form["quick_win_year"], !raw.isEmpty {
            quickWinYear = Int(raw)
            if quickWinYear == nil || !(2000...2100).contains(quickWinYear!) { errors["quick_win_year"] = t["setup_year_invalid"] }
        }
        guard errors.isEmpty, let horizon, let start, let end, let owner else {
            return try await renderList(req, filterPillar: "", filterHorizon: "", form: form, errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let programme = Programme(regionID: try region.requireID(), pillarCode: form["pillar"] ?? "", title: title,
                                  horizon: horizon, ownerID: owner.id, startYear: start, endYear: end, status: .planned,
                                  progress: 0, quickWinYear: quickWinYear)
        let description = form["description"] ?? ""
        programme.description = description.isEmpty ? nil : description
        try await req.db.writeTransaction { tx in
            try await programme.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "programme", key: programme.title,
                                      action: "create", changes: [.init(field: "agency", before: nil, after: owner.code)], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: try programme.requireID()).path)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
