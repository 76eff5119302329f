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
        return try await PageCache.page(req, title: req.t["dashboard_title"], region: try region.requireID(), key: key) {
            try await build(req).body()
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
            history: home.history,
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
        page.overdue = try await overdueAgencies(req.db, counts: counts)
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

    func body() -> Markup {
        let t = page.t
        var m: Markup = """
            <div class="page-head">
              <h1>\(t["dashboard_title"])\(cycle.map { c -> Markup in " <span class=\"muted\">\(c.year)</span>" } ?? "")</h1>
              <p class="muted">\(region.name) · \(t["dashboard_intro"])</p>
            </div>

            """
        guard let cycle else { return m + HomePage.noCycle(t) }
        m += """
            <nav class="quick-links" aria-label="\(t["dashboard_links"])">
              \(Markup.each(links) { l in "<a class=\"button secondary\" href=\"\(l.href)\">\(l.label)</a>" })
            </nav>

            """
        m += HomePage.scoreCard(t, cycle: cycle, layers: layers)
        m += """
            <div class="grid2">
            <section class="card">
              <h2>\(t["dashboard_radar_title"])</h2>
              <figure class="chart">\(Markup(trusted: radar))<figcaption class="small muted">\(t["dashboard_radar_caption"]) <a href="#pillars">\(t["dashboard_see_table"])</a></figcaption></figure>
            </section>
            <section class="card">
              <h2>\(t["dashboard_bars_title"])</h2>
              <figure class="chart">\(Markup(trusted: dimensionBars))<figcaption class="small muted">\(t["dashboard_bars_caption"]) <a href="#groups">\(t["dashboard_see_table"])</a></figcaption></figure>
            </section>
            </div>

            """
        func readinessRow(_ r: Readiness) -> Markup {
            """
                <li><a href="\(r.href)"><span class="readiness-label">\(r.label)</span> <strong class="num">\(r.share)</strong> <span class="small muted">\(r.count)/\(r.total)</span></a>
                  <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="\(r.label): \(r.share)"><rect x="0" y="2" width="100" height="6" class="bar-track"></rect><rect x="0" y="2" width="\(r.bar)" height="6" class="bar-fill"></rect></svg></li>

            """
        }
        let overdueTable: Markup = overdue.isEmpty ? "<p class=\"muted small\">\(t["dashboard_overdue_none"])</p>\n" : """
              <table class="compact">
                <thead><tr><th>\(t["progress_agency"])</th><th class="num">\(t["dashboard_overdue_count"])</th></tr></thead>
                <tbody>\(Markup.each(overdue) { o in
                    "<tr><td><a href=\"\(o.href)\"><strong>\(o.code)</strong></a> <span class=\"small muted\">\(o.name)</span></td><td class=\"num\">\(o.count)</td></tr>"
                })</tbody>
              </table>

            """
        let trendPart: Markup = history.isEmpty ? "  <p class=\"muted\">\(t["dashboard_trend_none"])</p>\n"
            : "  <figure class=\"chart\">\(Markup(trusted: trend))</figure>\n\(HomePage.historyTable(t, history))"
        m += """
            <div class="grid2">
            <section class="card">
              <h2>\(t["dashboard_readiness"])</h2>
              <ul class="readiness">
            \(Markup.each(readiness, readinessRow))  </ul>
              <h3>\(t["dashboard_overdue"]) <span class="chip\(if: overdueTotal > 0, " overdue")">\(overdueTotal)</span></h3>
            \(overdueTable)</section>
            <section class="card">
              <h2>\(t["dashboard_trend_title"])</h2>
            \(trendPart)</section>
            </div>

            """
        if let timeline { m += timeline.card(t) }
        m += HomePage.scoreTables(t, headers: layerHeaders, groups: groups, pillars: pillars)
        m += """
            <section class="card">
              <h2>\(t["dashboard_exports"])</h2>
              <ul class="export-links">\(Markup.each(exports) { e in "<li><a href=\"\(e.href)\">\(e.label)</a></li>" })</ul>
            </section>

            """
        return m
    }

    /// The agencies with overdue items, the most first: their code and name only (a large region
    /// has hundreds, and a whole `Agency` model each cost more than the rest of the panel).
    static func overdueAgencies(_ db: any Database, counts: [UUID: Int]) async throws -> [Overdue] {
        guard !counts.isEmpty, let sql = db as? any SQLDatabase else { return [] }
        let rows = try await RowColumns.all(sql.select().column("id").column("code").column("name").from(Agency.schema)
            .where("id", .in, SQLBind.group(Array(counts.keys))))
        return try rows.compactMap { row -> Overdue? in
            guard let n = counts[try row.uuid("id")] else { return nil }
            let code = try row.string("code")
            return Overdue(code: code, name: try row.string("name"), count: n, href: SiteURL.actions.path(query: ["agency": code]))
        }.sorted { ($1.count, $0.code) < ($0.count, $1.code) }
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

