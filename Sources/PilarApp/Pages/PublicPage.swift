import Fluent
import Foundation
import PilarCore
import Vapor

/// `/public/{regionCode}`, without sign-in: the region's programmes and quick wins the coordinator
/// marked public (progress, KPIs, milestones) and the official indices of the cycles whose result
/// the coordinator published. Nothing else: no self-assessment, no verified level, no agency's
/// draft, no evidence.
enum PublicPage {
    struct Milestone: Encodable {
        var title: String
        var due: String?
        var done: Bool
    }

    struct KPIView: Encodable {
        var id: String
        var name: String
        var unit: String
        var chart: KPIChart
    }

    struct ProgrammeView: Encodable {
        var title: String
        var description: String?
        var pillar: String
        var horizon: String
        var quickWin: Int?
        var owner: String?
        var status: String
        var progress: Int
        var years: String
        var milestones: [Milestone]
        var kpis: [KPIView]
    }

    struct Context: Encodable {
        var page: PageChrome
        var region: String
        var province: String
        var history: [HomePage.HistoryRow]
        var trend: String
        var programmes: [ProgrammeView]
    }

    static func build(_ req: Request, region: Region) async throws -> Context {
        let t = req.t, lang = req.language
        let (history, scale) = try await officialHistory(req, region: region)
        var trend = ""
        if let scale, !history.isEmpty {
            trend = Charts.trend(
                id: "trend", title: t["public_history"], description: history.map { "\($0.year): \($0.official)" }.joined(separator: "; "),
                points: history.map { (label: String($0.year), value: $0.value) },
                series: Charts.Series.official.named(t["layer_official"]), target: nil, targetName: "",
                low: scale.min, high: scale.max, format: { Format.number($0, lang) })
        }
        return Context(
            page: PageChrome(request: req, title: t.format("public_title", ["region": region.name])),
            region: region.name, province: region.province, history: history, trend: trend,
            programmes: try await programmes(req, region: region))
    }

    /// The official index of every cycle whose result was published, oldest first, and the scale of
    /// the first one's instrument (for the chart).
    static func officialHistory(_ req: Request, region: Region) async throws -> ([HomePage.HistoryRow], LevelScale?) {
        let regionID = try region.requireID()
        let cycles = try await Cycle.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$officialPublic == true)
            .sort(\.$year).all()
        let letters = cycles.isEmpty ? [] : try await OfficialResult.query(on: req.db).filter(\.$cycle.$id ~~ cycles.compactMap(\.id))
            .filter(\.$scope == .index).all()
        var history: [HomePage.HistoryRow] = []
        var scale: LevelScale?
        for cycle in cycles {
            guard let letter = letters.first(where: { $0.$cycle.id == cycle.id }) else { continue }
            let instrument = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db).instrument
            scale = scale ?? instrument.scale
            history.append(.init(year: cycle.year, official: Format.decimal(instrument.rounding.display(letter.score), req.language),
                                 value: letter.score))
        }
        return (history, scale)
    }

    /// The public programmes, quick wins first, then by pillar and title; each KPI charted over the
    /// quick win's year, else the latest year with a realisation, else the programme's first year.
    static func programmes(_ req: Request, region: Region) async throws -> [ProgrammeView] {
        let t = req.t, lang = req.language
        let programmes = try await Programme.query(on: req.db).filter(\.$region.$id == region.requireID()).filter(\.$isPublic == true)
            .with(\.$owner).all()
            .sorted { ($0.quickWinYear == nil ? 1 : 0, $0.pillarCode, $0.title) < ($1.quickWinYear == nil ? 1 : 0, $1.pillarCode, $1.title) }
        let ids = programmes.compactMap(\.id)
        let milestones = ids.isEmpty ? [] : try await PilarApp.Milestone.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$position).all()
        let kpis = ids.isEmpty ? [] : try await KPI.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$position).all()
        let kpiIDs = kpis.compactMap(\.id)
        let targets = kpiIDs.isEmpty ? [] : try await KPITarget.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        let actuals = kpiIDs.isEmpty ? [] : try await KPIRealisation.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        return programmes.map { p -> ProgrammeView in
            let own = kpis.filter { $0.$programme.id == p.id }
            let withData = Set(actuals.filter { a in own.contains { $0.id == a.$kpi.id } }.compactMap { KPIPeriod.year(of: $0.period) })
            let year = p.quickWinYear ?? withData.max() ?? p.startYear
            return ProgrammeView(
                title: p.title, description: p.description,
                pillar: SmartCityPillar.named(p.pillarCode).map { lang == .id ? $0.nameID : $0.nameEN } ?? p.pillarCode,
                horizon: t["horizon_\(p.horizon.rawValue)"], quickWin: p.quickWinYear, owner: p.owner?.name,
                status: t["programme_status_\(p.status.rawValue)"], progress: p.progress,
                years: p.startYear == p.endYear ? String(p.startYear) : "\(p.startYear)–\(p.endYear)",
                milestones: milestones.filter { $0.$programme.id == p.id }.map {
                    Milestone(title: $0.title, due: Format.date($0.dueOn, t), done: $0.done)
                },
                kpis: own.compactMap { k in
                    guard let id = k.id else { return nil }
                    let tt = Dictionary(targets.filter { $0.$kpi.id == id }.map { ($0.period, $0.target) }, uniquingKeysWith: { a, _ in a })
                    let aa = Dictionary(actuals.filter { $0.$kpi.id == id }.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
                    return KPIView(id: id.uuidString, name: k.name, unit: k.unit,
                                   chart: KPIChart.year(name: k.name, unit: k.unit, periods: KPIPeriod.all(k.frequency, year: year),
                                                        targets: tt, actuals: aa, t: t, lang: lang))
                })
        }
    }
}
