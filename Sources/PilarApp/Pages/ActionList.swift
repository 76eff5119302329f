import Fluent
import FluentSQL
import Foundation
import PilarCore
import Vapor

/// One action item as every list shows it, with how urgent it is.
struct ActionRow: Encodable {
    var id: String
    var link: String
    var title: String
    var assignee: String
    var due: String?
    /// `overdue`, `soon` (within three days) or empty.
    var urgency: String
    var priority: String
    var priorityKey: String
    var status: String
    var statusKey: String
    var source: String?
    var closed: String?
}

/// Action items the signed-in user may read, overdue first.
enum ActionList {
    /// Items due within this many days are "soon".
    static let soonDays = 3

    static func urgency(_ item: ActionItem, today: String) -> String {
        guard !item.statusValue.isClosed, let due = item.dueOn else { return "" }
        if due < today { return "overdue" }
        if due <= CalendarDate.adding(days: soonDays, to: today) { return "soon" }
        return ""
    }

    /// The user's own agency's items, or all of the region's for those who read all.
    static func query(_ req: Request, region: Region) throws -> QueryBuilder<ActionItem> {
        let actor = try req.actor()
        guard let scope = AccessPolicy.scope(actor.role, .readActions) else { throw Abort(.forbidden) }
        var query = ActionItem.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        if scope != .region {
            guard let own = actor.agencyID.flatMap(UUID.init(uuidString:)) else { throw Abort(.forbidden) }
            query = query.filter(\.$assignee.$id == own)
        }
        return query
    }

    static func rows(_ req: Request, region: Region, filter: (QueryBuilder<ActionItem>) -> QueryBuilder<ActionItem> = { $0 })
        async throws -> [ActionRow]
    {
        guard AccessPolicy.allows(try req.actor(), .readActions) else { return [] }
        let items = try await ordered(filter(try query(req, region: region))).all()
        return try await rows(req, region: region, items: items)
    }

    /// The lists' order, in the database so it can be paged: open before closed, then by due date
    /// (so overdue, then soon due, come first; items without a date last on both databases), then title.
    static func ordered(_ query: QueryBuilder<ActionItem>) -> QueryBuilder<ActionItem> {
        let closed = ActionItem.Status.allCases.filter(\.isClosed).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return query
            .sort(.sql(unsafeRaw: "CASE WHEN status IN (\(closed)) THEN 1 ELSE 0 END"))
            .sort(.sql(unsafeRaw: "CASE WHEN due_on IS NULL THEN 1 ELSE 0 END"))
            .sort(\.$dueOn).sort(\.$title).sort(\.$id)
    }

    static func rows(_ req: Request, region: Region, items: [ActionItem]) async throws -> [ActionRow] {
        let t = req.t
        let today = CalendarDate.today(in: region.zone)
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        return items.map { item in
            var source: String?
            if let code = item.indicatorCode { source = "\(t["action_source_indicator"]) \(code)" }
            else if item.$decision.id != nil { source = t["action_source_meeting"] }
            else if item.$recommendation.id != nil { source = t["action_source_recommendation"] }
            else if item.$programme.id != nil { source = t["action_source_programme"] }
            return ActionRow(
                id: item.id?.uuidString ?? "", link: SiteURL.action(id: item.id ?? UUID()).path, title: item.title,
                assignee: code[item.$assignee.id] ?? "–", due: Format.date(item.dueOn, t), urgency: urgency(item, today: today),
                priority: t["priority_\(item.priority)"], priorityKey: item.priority,
                status: t["action_status_\(item.status)"], statusKey: item.status, source: source,
                closed: item.closedAt.map { "\(item.closedBy ?? "") · \(Format.dateTime($0, zone: region.zone, t))" })
        }
    }
}
