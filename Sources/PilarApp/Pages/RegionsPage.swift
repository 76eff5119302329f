import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `/regions`: the reviewer's regions side by side on one instrument version — the index per layer,
/// each evaluation dimension and pillar (verified layer), coverage, the gap to each region's target,
/// and the share submitted and verified — sorted by any column, each region opened read-only.
enum RegionsPage {
    struct Context: Encodable {
        var page: PageChrome
        var instruments: [Setup.Option]
        var instrumentKey: String?
        var columns: [Column]
        var rows: [Row]
        /// Granted regions whose current cycle is on another instrument version (or that have none).
        var elsewhere: String?
        var action: String
    }

    struct Column: Encodable {
        var key: String
        var label: String
        var href: String
        /// `ascending`/`descending` on the sorted column (for `aria-sort`), else nil.
        var sorted: String?
        var numeric: Bool
    }

    /// A region's row, written as HTML here (`HTML.escape` on every value): a province's table has
    /// thousands of cells, and Leaf spent most of the page's time on them.
    struct Row: Encodable {
        var html: String
    }

    /// Query: `instrument` (an instrument version's key), `sort` (a column key), `dir` (`asc`/`desc`).
    struct Query: Decodable {
        var instrument: String?
        var sort: String?
        var dir: String?
    }

    static func build(_ req: Request) async throws -> Context {
        try req.authorize(.compareRegions)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let t = req.t, lang = req.language
        let query = (try? req.query.decode(Query.self)) ?? Query()
        let user = try req.requireUser()
        let entries = try await RegionComparison.entries(sql, reviewer: user.requireID())

        // The instrument versions the regions' current cycles use; the most used one by default.
        let versionIDs = Set(entries.compactMap(\.instrumentVersionID))
        let versions = try await InstrumentVersion.query(on: req.db).filter(\.$id ~~ Array(versionIDs)).all()
        let uses = Dictionary(grouping: entries.compactMap(\.instrumentVersionID), by: { $0 }).mapValues(\.count)
        let ordered = versions.sorted { (uses[$0.id ?? UUID()] ?? 0, $0.key) > (uses[$1.id ?? UUID()] ?? 0, $1.key) }
        let chosen = ordered.first { $0.key == query.instrument } ?? ordered.first
        let onIt = entries.filter { $0.instrumentVersionID != nil && $0.instrumentVersionID == chosen?.id }
        let generations = try await RegionComparison.generations(sql, regions: onIt.map(\.regionID))
        var summaries: [(RegionComparison.Entry, RegionComparison.Summary)] = []
        for entry in onIt {
            if let s = try await RegionComparison.summary(req, entry, generation: generations[entry.regionID] ?? 0) { summaries.append((entry, s)) }
        }

        // The columns: fixed ones, then the dimensions and pillars of the chosen instrument.
        let first = summaries.first?.1
        var keys: [(String, String, (RegionComparison.Summary) -> Double?)] = [
            ("self", t["regions_self"], { $0.selfIndex }),
            ("verified", t["regions_verified"], { $0.verifiedIndex }),
            ("official", t["regions_official"], { $0.officialIndex }),
            ("target", t["regions_target"], { $0.target }),
            ("gap", t["regions_gap"], { $0.gap }),
        ]
        for g in first?.groupTitles ?? [] { keys.append(("g-\(g.code)", g.title, { $0.groups[g.code] })) }
        for p in first?.pillarTitles ?? [] { keys.append(("p-\(p.code)", p.title, { $0.pillars[p.code] })) }
        let shares: [(String, String, (RegionComparison.Summary) -> Double?)] = [
            ("coverage", t["regions_coverage"], { $0.coverage }),
            ("submitted", t["regions_submitted"], { $0.indicators == 0 ? nil : Double($0.submitted) / Double($0.indicators) }),
            ("verified-share", t["regions_verified_share"], { $0.indicators == 0 ? nil : Double($0.verified) / Double($0.indicators) }),
        ]
        let all = keys + shares
        let sortKey = all.contains { $0.0 == query.sort } || query.sort == "name" ? query.sort! : "name"
        let descending = query.dir == "desc"
        if sortKey == "name" {
            summaries.sort { descending ? $0.0.name > $1.0.name : $0.0.name < $1.0.name }
        } else if let value = all.first(where: { $0.0 == sortKey })?.2 {
            // Regions without a value go last either way.
            summaries.sort { a, b in
                switch (value(a.1), value(b.1)) {
                case let (x?, y?): return x == y ? a.0.name < b.0.name : (descending ? x > y : x < y)
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a.0.name < b.0.name
                }
            }
        }
        func href(_ key: String) -> String {
            SiteURL.regions.path(query: ["instrument": chosen?.key, "sort": key, "dir": key == sortKey && !descending ? "desc" : "asc"])
        }
        func column(_ key: String, _ label: String, numeric: Bool) -> Column {
            Column(key: key, label: label, href: href(key), sorted: key == sortKey ? (descending ? "descending" : "ascending") : nil, numeric: numeric)
        }
        let columns = [column("name", t["regions_region"], numeric: false)] + all.map { column($0.0, $0.1, numeric: true) }
        let shareKeys = Set(shares.map(\.0))
        let csrf = HTML.escape(req.csrfToken), open = HTML.escape(t["regions_open"])
        let rows = summaries.map { entry, summary -> Row in
            let name = HTML.escape(entry.name)
            var html = "<tr><th scope=\"row\"><span class=\"region-name\">\(name)</span> <span class=\"small muted\">\(entry.year.map(String.init) ?? "")</span>"
            html += "<form method=\"post\" action=\"\(HTML.escape(SiteURL.regionOpen(region: entry.code).path))\" class=\"inline\">"
            html += "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrf)\"><button type=\"submit\" class=\"secondary small\" "
            html += "aria-label=\"\(open) \(name)\">\(open)</button></form></th>"
            for (key, _, value) in all {
                let text = value(summary).map {
                    shareKeys.contains(key) ? Format.percent($0, lang) : Format.decimal(Rounding.display($0, rule: summary.rounding), lang)
                } ?? "–"
                html += "<td class=\"num\">\(HTML.escape(text))</td>"
            }
            return Row(html: html + "</tr>")
        }
        return Context(
            page: PageChrome(request: req, title: t["regions_title"]),
            instruments: ordered.map { Setup.Option(value: $0.key, label: "\($0.title) (\($0.edition))", selected: $0.id == chosen?.id) },
            instrumentKey: chosen?.key, columns: columns, rows: rows,
            elsewhere: Optional(entries.filter { e in !onIt.contains { $0.regionID == e.regionID } }.map(\.name).joined(separator: ", "))
                .flatMap { $0.isEmpty ? nil : $0 },
            action: SiteURL.regions.path)
    }
}
