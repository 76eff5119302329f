import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `/dashboard`: for the coordinator and leadership, the current cycle's index per layer against
/// the target, the pillars as a radar and the dimensions as bars (self, verified, target), the
/// official trend, readiness for the evaluation, overdue action items per agency and the countdown.
/// Every figure links to the list behind it.
struct DashboardPage: Encodable {
    struct Readiness: Encodable {
        var label: String
        var count: Int
        var total: Int
        var share: String
        var bar: Int
        var href: String
    }

    struct Overdue: Encodable {
        var code: String
        var name: String
        var count: Int
        var href: String
    }

    struct Link: Encodable {
        var href: String
        var label: String
    }

    var page: PageChrome
    var region: HomePage.RegionView
    var cycle: HomePage.CycleView?
    var layers: [HomePage.LayerRow]
    var layerHeaders: [String]
    var groups: [HomePage.ScoreRow]
    var pillars: [HomePage.ScoreRow]
    var scoreTables: String
    var history: [HomePage.HistoryRow]
    var timeline: Timeline?
    var radar: String
    var dimensionBars: String
    var trend: String
    var readiness: [Readiness]
    var overdue: [Overdue]
    var overdueTotal: Int
    var links: [Link]
    var exports: [Link]

    /// The page for this request: its body from the page cache, the user's chrome fresh.
    static func cached(_ req: Request) async throws -> PageCache.Rendered {
        try req.authorize(.readDashboard)
        let region = try await req.currentRegion()
        let key = "dashboard|\(req.language.rawValue)|\(req.today(in: region.zone))"
        return try await PageCache.page(req, title: req.t["dashboard_title"], region: try region.requireID(), key: key, template: "dashboard_content") {
            try await build(req)
        }
    }

    static func build(_ req: Request) async throws -> DashboardPage {
        try req.authorize(.readDashboard)
        let t = req.t, lang = req.language
        let region = try await req.currentRegion()
        let current = try await CycleData.cycles(req, region: region).current
        var data: CycleData?
        if let current { data = try await CycleData.read(req, region: region, cycle: current) }
        let home = try await HomePage.build(req, loaded: data)
        let title = t["dashboard_title"]
        var page = DashboardPage(
            page: PageChrome(request: req, title: title), region: home.region, cycle: home.cycle, layers: home.layers,
            layerHeaders: home.layerHeaders, groups: home.groups, pillars: home.pillars,
            scoreTables: home.scoreTables, history: home.history,
            timeline: home.timeline, radar: "", dimensionBars: "", trend: "", readiness: [], overdue: [], overdueTotal: 0,
            links: [], exports: [])
        guard let data else { return page }
        let year = data.cycle.year
        let instrument = data.compiled.instrument
        let low = instrument.scale.min, high = instrument.scale.max
        let format = { (v: Double) in Format.number(v, lang) }
        let charts = CycleCharts(data, t: t, lang: lang, idPrefix: "")
        page.radar = charts.radar
        page.dimensionBars = charts.bars

        // The official index over the years, with this cycle's target.
        let points = home.history.map { (label: String($0.year), value: $0.value) }
        if !points.isEmpty {
            page.trend = Charts.trend(
                id: "trend", title: t["dashboard_trend_title"],
                description: points.map { "\($0.label): \(format($0.value))" }.joined(separator: "; "),
                points: points, series: Charts.Series.official.named(t["layer_official"]), target: data.cycle.targetIndex,
                targetName: t.format("dashboard_target_year", ["year": String(year)]), low: low, high: high, format: format)
        }

        // Readiness: answered, verified, and backed by evidence still valid on the evaluation date.
        let applicable = data.compiled.indicatorCodes.compactMap { data.assessments[$0] }.filter { !$0.notApplicable }
        let total = applicable.count
        let submitted = applicable.filter { $0.status.isSubmitted }.count
        let verified = applicable.filter { $0.status == .verified }.count
        let valid = try await CycleData.evidenced(req.db, cycle: data.cycle)
        let evidenced = applicable.filter { valid.contains($0.id) }.count
        func row(_ key: String, _ count: Int, _ href: SiteURL) -> Readiness {
            let share = total > 0 ? Double(count) / Double(total) : 0
            return Readiness(label: t[key], count: count, total: total, share: Format.percent(share, lang),
                             bar: Int((share * 100).rounded()), href: href.path)
        }
        page.readiness = [
            row("dashboard_ready_submitted", submitted, .progress),
            row("dashboard_ready_verified", verified, .review),
            row("dashboard_ready_evidence", evidenced, .progress),
        ]

        // Overdue action items per agency, the most first.
        let today = req.today(in: region.zone)
        let counts = try await overdueByAgency(req.db, region: region, today: today)
        let agencies = counts.isEmpty ? [] : try await Agency.query(on: req.db).filter(\.$id ~~ Array(counts.keys)).all()
        page.overdue = agencies.compactMap { a in
            guard let id = a.id, let n = counts[id] else { return nil }
            return Overdue(code: a.code, name: a.name, count: n, href: SiteURL.actions.path(query: ["agency": a.code]))
        }.sorted { ($1.count, $0.code) < ($0.count, $1.code) }
        page.overdueTotal = counts.values.reduce(0, +)

        page.links = [
            Link(href: SiteURL.plan(year: year).path, label: t["dashboard_link_plan"]),
            Link(href: SiteURL.whatIf(year: year).path, label: t["dashboard_link_whatif"]),
            Link(href: SiteURL.report(year: year).path, label: t["dashboard_link_report"]),
            Link(href: SiteURL.progress.path, label: t["nav_progress"]),
        ]
        page.exports = [
            Link(href: SiteURL.cycleExport(year: year, format: .xlsx).path, label: t["dashboard_export_xlsx"]),
            Link(href: SiteURL.cycleExport(year: year, format: .csv).path, label: t["dashboard_export_csv"]),
            Link(href: SiteURL.evidenceBundle(year: year).path, label: t["dashboard_export_bundle"]),
            Link(href: SiteURL.listExport(list: .actions, format: .xlsx).path(query: ["show": "all"]), label: t["dashboard_export_actions"]),
            Link(href: SiteURL.listExport(list: .programmes, format: .xlsx).path, label: t["dashboard_export_programmes"]),
            Link(href: SiteURL.listExport(list: .audit, format: .xlsx).path, label: t["dashboard_export_audit"]),
        ]
        return page
    }

    /// Open or in-progress action items past their due date, counted per assignee agency.
    static func overdueByAgency(_ db: any Database, region: Region, today: String) async throws -> [UUID: Int] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.select()
            .column("assignee_agency_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ActionItem.schema)
            .where("region_id", .equal, SQLBind(try region.requireID()))
            .where("status", .in, ActionItem.Status.stillOpen.map(\.rawValue))
            .where("due_on", .lessThan, SQLBind(today))
            .groupBy("assignee_agency_id")
            .all()
        var counts: [UUID: Int] = [:]
        for row in rows {
            counts[try row.decode(column: "assignee_agency_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}

