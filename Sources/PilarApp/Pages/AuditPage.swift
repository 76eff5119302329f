import Fluent
import Foundation
import PilarCore
import Vapor

/// `/audit?q=…`: the coordinator searches the region's audit trail (read-only; nothing in the
/// application edits or deletes it).
struct AuditPage: Encodable {
    var page: PageChrome
    var query: String
    var rows: [Row]
    var limit: Int

    struct Row: Encodable {
        var key: String
        var change: IndicatorPage.HistoryRow
    }

    struct Query: Content {
        var q: String?
    }

    static let limit = 200

    static func build(_ req: Request) async throws -> AuditPage {
        try req.authorize(.manageCycles)
        let t = req.t
        let region = try await req.currentRegion()
        let q = (try? req.query.decode(Query.self).q)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var query = AuditEvent.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        if !q.isEmpty {
            query = query.group(.or) { group in
                group.filter(\.$entityKey ~~ q).filter(\.$actorName ~~ q).filter(\.$field ~~ q).filter(\.$action ~~ q)
                    .filter(\.$after ~~ q)
            }
        }
        let events = try await query.sort(\.$at, .descending).limit(limit).all()
        let zone = region.zone
        let rows = events.map { e in
            Row(key: e.entityKey, change: IndicatorPage.HistoryRow(
                at: Format.dateTime(e.at, zone: zone, t), who: e.actorName, action: t["action_\(e.action)"],
                field: AuditLog.label(field: e.field, t), before: e.before ?? "–", after: e.after ?? "–"))
        }
        return AuditPage(page: PageChrome(request: req, title: t["audit_title"]), query: q, rows: rows, limit: limit)
    }
}
