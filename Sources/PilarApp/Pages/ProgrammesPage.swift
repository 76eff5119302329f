import Fluent
import Foundation
import PilarCore
import Vapor

/// `GET /programmes`: the masterplan's programmes and quick wins by pillar, filtered by pillar and
/// horizon; the coordinator's form for a new programme; the KPI sheet's download and upload.
enum ProgrammesPage {
    struct Row: Encodable {
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

    struct Context: Encodable {
        var page: PageChrome
        var listHref: String
        var createAction: String
        var sheetHref: String
        var rows: [Row]
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

    static func pillarName(_ code: String, _ lang: Language) -> String {
        SmartCityPillar.named(code).map { lang == .id ? $0.nameID : $0.nameEN } ?? code
    }

    static func build(_ req: Request, filterPillar: String, filterHorizon: String, form: [String: String],
                      errors: [String: String] = [:], saved: Bool = false, uploaded: Int? = nil) async throws -> Context {
        let t = req.t, lang = req.language
        let actor = try req.actor()
        let region = try await req.currentRegion()
        var query = Programme.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        if !filterPillar.isEmpty { query = query.filter(\.$pillarCode == filterPillar) }
        // An unknown horizon in the address matches no programme.
        let horizon = Programme.Horizon(rawValue: filterHorizon)
        if let horizon { query = query.filter(\.$horizon == horizon) }
        let programmes = filterHorizon.isEmpty || horizon != nil ? try await query.sort(\.$pillarCode).sort(\.$title).all() : []
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let ids = programmes.compactMap(\.id)
        let kpis = ids.isEmpty ? [] : try await KPI.query(on: req.db).filter(\.$programme.$id ~~ ids).all()
        let order = SmartCityPillar.all.map(\.code)
        let rows = programmes.sorted { (order.firstIndex(of: $0.pillarCode) ?? 9, $0.title) < (order.firstIndex(of: $1.pillarCode) ?? 9, $1.title) }
            .compactMap { p -> Row? in
                guard let pid = p.id else { return nil }
                return Row(link: SiteURL.programme(id: pid).path, title: p.title, pillar: pillarName(p.pillarCode, lang),
                           owner: p.$owner.id.flatMap { code[$0] }, horizon: t["horizon_\(p.horizon.rawValue)"],
                           status: t["programme_status_\(p.status.rawValue)"], statusKey: p.status.rawValue, progress: p.progress,
                           quickWinYear: p.quickWinYear, kpis: kpis.filter { $0.$programme.id == pid }.count,
                           years: p.startYear == p.endYear ? String(p.startYear) : "\(p.startYear)–\(p.endYear)")
            }
        func pillarOptions(_ selected: String?) -> [Setup.Option] {
            SmartCityPillar.all.map { Setup.Option(value: $0.code, label: lang == .id ? $0.nameID : $0.nameEN, selected: $0.code == selected) }
        }
        func horizonOptions(_ selected: String?) -> [Setup.Option] {
            Programme.Horizon.allCases.map { Setup.Option(value: $0.rawValue, label: t["horizon_\($0.rawValue)"], selected: $0.rawValue == selected) }
        }
        return Context(
            page: PageChrome(request: req, title: t["programmes_title"]), listHref: SiteURL.programmes.path,
            createAction: SiteURL.programmes.path, sheetHref: SiteURL.kpiSheet.path, rows: rows,
            pillars: pillarOptions(filterPillar), horizons: horizonOptions(filterHorizon),
            filterPillar: filterPillar, filterHorizon: filterHorizon,
            canCreate: AccessPolicy.allows(actor, .manageProgrammes), form: form, errors: errors,
            owners: Setup.agencyOptions(agencies, selected: form["owner"], empty: nil),
            formPillars: pillarOptions(form["pillar"]), formHorizons: horizonOptions(form["horizon"]), saved: saved,
            uploaded: uploaded, canFillSheet: AccessPolicy.allows(actor, .editProgramme),
            sheetYear: Int(req.today(in: region.zone).prefix(4)) ?? 2022,
            sheetAction: SiteURL.kpiSheet.path(query: ["_csrf": req.csrfToken]))
    }
}
