import Fluent
import FluentSQL
import Foundation
import PilarCore
import Vapor

/// `/audit?q=…`: the coordinator searches the region's audit trail (read-only; nothing in the
/// application edits or deletes it).
struct AuditPage: Encodable {
    var page: PageChrome
    /// Where the search form goes.
    var action: String
    var query: String
    var rows: [Row]
    var pager: Pager
    /// The trail as it is searched, to download.
    var downloads: [Setup.Option]

    struct Row: Encodable {
        var key: String
        var change: IndicatorPage.HistoryRow
    }

    struct Query: Content {
        var q: String?
        var page: String?
    }

    static func build(_ req: Request) async throws -> AuditPage {
        try req.authorize(.manageCycles)
        let t = req.t
        let region = try await req.currentRegion()
        let params = try? req.query.decode(Query.self)
        let q = searchText(params?.q)
        let selected = try query(req, region: region, search: q)
        let pager = Pager(total: try await selected.count(), requested: params?.page, path: SiteURL.audit.path,
                          query: [("q", q)], t: req.t)
        let events = try await selected.sort(\.$at, .descending).sort(\.$id).range(pager.offset..<(pager.offset + pager.perPage)).all()
        let zone = region.zone
        let rows = events.map { e in
            Row(key: e.entityKey, change: IndicatorPage.HistoryRow(
                at: Format.dateTime(e.at, zone: zone, t), who: e.actorName, action: t["action_\(e.action)"],
                field: AuditLog.label(field: e.field, t), before: e.before ?? "–", after: e.after ?? "–"))
        }
        return AuditPage(page: PageChrome(request: req, title: t["audit_title"]), action: SiteURL.audit.path, query: q, rows: rows, pager: pager,
                         downloads: SiteURL.ExportFormat.allCases.map { format in
                             Setup.Option(value: Pager.link(SiteURL.listExport(list: .audit, format: format).path, query: [("q", q)]),
                                          label: format.rawValue.uppercased(), selected: false)
                         })
    }

    static func searchText(_ raw: String?) -> String { raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    /// The region's trail, narrowed to the changes that mention `search` (the page and its downloads).
    static func query(_ req: Request, region: Region, search: String) throws -> QueryBuilder<AuditEvent> {
        let query = AuditEvent.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        guard !search.isEmpty else { return query }
        return query.group(.or) { group in
            for column in ["entity_key", "actor_name", "field", "action", "before", "after"] {
                group.filter(SearchText.contains(column: column, search))
            }
        }
    }
}

/// Case-insensitive "contains" that behaves the same on SQLite and PostgreSQL (Fluent's `~~` is
/// `LIKE`, which ignores case on SQLite only) and takes `%` and `_` literally.
enum SearchText {
    static func contains(column: String, _ text: String) -> DatabaseQuery.Filter {
        let escaped = text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return .sql(embed: "LOWER(\(ident: column)) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
    }
}
