import Fluent
import FluentSQL
import Foundation
import PilarCore
import SQLKit
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
    /// Items due within this many days are "soon" (`Urgency` in PilarCore).
    static let soonDays = Urgency.soonDays

    /// An action item as the lists show it: the columns they read, selected without a model.
    struct Item: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var title: String
        var description: String?
        var assigneeID: UUID
        var dueOn: String?
        var priority: ActionItem.Priority
        var status: ActionItem.Status
        var indicatorCode: String?
        var programmeID: UUID?
        var decisionID: UUID?
        var recommendationID: UUID?
        var createdBy: String
        var createdAt: Date
        var closedBy: String?
        var closedAt: Date?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, title, description, assigneeID = "assignee_agency_id", dueOn = "due_on", priority, status,
                 indicatorCode = "indicator_code", programmeID = "programme_id", decisionID = "decision_id",
                 recommendationID = "recommendation_id", createdBy = "created_by", createdAt = "created_at",
                 closedBy = "closed_by", closedAt = "closed_at"
        }
    }

    static func urgency(_ item: Item, today: String) -> Urgency {
        Urgency.of(due: item.dueOn, closed: item.status.isClosed, today: today)
    }

    /// Whose items the signed-in user may read: `nil` for the whole region, else the user's own
    /// agency; 403 for a role that reads none. The one place the lists' scope is decided.
    static func readableAgency(_ req: Request) throws -> UUID? {
        let actor = try req.actor()
        guard let scope = AccessPolicy.scope(actor.role, .readActions) else { throw Abort(.forbidden) }
        if scope == .region { return nil }
        guard let own = actor.agencyID.flatMap(UUID.init(uuidString:)) else { throw Abort(.forbidden) }
        return own
    }

    /// The user's own agency's items, or all of the region's for those who read all.
    static func query(_ req: Request, region: Region) throws -> QueryBuilder<ActionItem> {
        let query = ActionItem.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        if let own = try readableAgency(req) { query.filter(\.$assignee.$id == own) }
        return query
    }

    static func rows(_ req: Request, region: Region, filter: (QueryBuilder<ActionItem>) -> QueryBuilder<ActionItem> = { $0 })
        async throws -> [ActionRow]
    {
        guard AccessPolicy.allows(try req.actor(), .readActions) else { return [] }
        let items = try await ordered(filter(try query(req, region: region))).all()
        return try await rows(req, region: region, items: items.map(\.listItem))
    }

    /// The lists' order, in the database so it can be paged: open before closed, then by due date
    /// (so overdue, then soon due, come first; items without a date last on both databases), then title.
    static func ordered(_ query: QueryBuilder<ActionItem>) -> QueryBuilder<ActionItem> {
        query.sort(.sql(unsafeRaw: closedLast)).sort(.sql(unsafeRaw: undatedLast))
            .sort(\.$dueOn).sort(\.$title).sort(\.$id)
    }

    /// The same order for column selects.
    static func ordered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        select.orderBy(SQLRaw(closedLast)).orderBy(SQLRaw(undatedLast))
            .orderBy("due_on").orderBy("title").orderBy("id")
    }

    private static let closedLast = "CASE WHEN status IN ("
        + ActionItem.Status.allCases.filter(\.isClosed).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ") THEN 1 ELSE 0 END"
    private static let undatedLast = "CASE WHEN due_on IS NULL THEN 1 ELSE 0 END"

    /// `agencies`: the region's, when the caller has them already.
    static func rows(_ req: Request, region: Region, items: [Item], agencies: [Setup.AgencyRow]? = nil) async throws -> [ActionRow] {
        let t = req.t
        let today = req.today(in: region.zone)
        var known = agencies
        if known == nil { known = try await Setup.agencies(req, region: region) }
        let code = Setup.codes(known ?? [])
        return items.map { item -> ActionRow in
            let id = item.id
            var source: String?
            if let code = item.indicatorCode { source = "\(t["action_source_indicator"]) \(code)" }
            else if item.decisionID != nil { source = t["action_source_meeting"] }
            else if item.recommendationID != nil { source = t["action_source_recommendation"] }
            else if item.programmeID != nil { source = t["action_source_programme"] }
            return ActionRow(
                id: id.uuidString, link: SiteURL.action(id: id).path, title: item.title,
                assignee: code[item.assigneeID] ?? "–", due: Format.date(item.dueOn, t), urgency: urgency(item, today: today).rawValue,
                priority: t["priority_\(item.priority.rawValue)"], priorityKey: item.priority.rawValue,
                status: t["action_status_\(item.status.rawValue)"], statusKey: item.status.rawValue, source: source,
                closed: item.closedAt.map { "\(item.closedBy ?? "") · \(Format.dateTime($0, zone: region.zone, t))" })
        }
    }
}

extension ActionList {
    /// What a list of action items shows: the open ones (the default), only the overdue ones, or all
    /// including the closed; optionally one agency's (the dashboard's overdue links); a page of it.
    struct Filter: Decodable {
        enum Show: String, CaseIterable, Decodable { case open, overdue, all }
        var show: Show
        var agency: String?
        var page: String?

        init(show: Show = .open, agency: String? = nil, page: String? = nil) {
            self.show = show
            self.agency = agency
            self.page = page
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let raw = try? c.decodeIfPresent(String.self, forKey: .show)
            // `closed=1` is what the list's links said before there was a filter.
            let closed = (try? c.decodeIfPresent(String.self, forKey: .closed)) == "1"
            show = raw.flatMap(Show.init(rawValue:)) ?? (closed ? .all : .open)
            agency = (try? c.decodeIfPresent(String.self, forKey: .agency)).flatMap { $0?.isEmpty == false ? $0 : nil }
            page = try? c.decodeIfPresent(String.self, forKey: .page)
        }

        private enum CodingKeys: String, CodingKey { case show, closed, agency, page }
    }

    /// The queries a filter stands for, within what the user may read: the same for the list page
    /// and its downloads.
    struct Selection {
        /// Whether the user reads every agency's items (and so may filter by agency).
        let readsAll: Bool
        /// The agency filtered to.
        let only: Setup.AgencyRow?
        let show: Filter.Show
        private let sql: any SQLDatabase
        private let regionID: UUID
        /// The one agency whose items are read: the user's own (unless the user reads all), or the filter's.
        private let agencyID: UUID?
        private let today: String

        init(_ req: Request, region: Region, filter: Filter, agencies: [Setup.AgencyRow]) throws {
            let own = try ActionList.readableAgency(req)
            readsAll = own == nil
            let only = readsAll ? filter.agency.flatMap { code in agencies.first { $0.code == code } } : nil
            self.only = only
            show = filter.show
            today = req.today(in: region.zone)
            regionID = try region.requireID()
            agencyID = own ?? only?.id
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            self.sql = sql
        }

        /// `select` narrowed to what `show` lists, within what the user may read.
        private func narrowed(_ select: SQLSelectBuilder, _ show: Filter.Show) -> SQLSelectBuilder {
            select.from(ActionItem.schema).where("region_id", .equal, SQLBind(regionID))
            if let agencyID { select.where("assignee_agency_id", .equal, SQLBind(agencyID)) }
            if show != .all { select.where("status", .in, SQLBind.group(ActionItem.Status.stillOpen.map(\.rawValue))) }
            // An item without a due date is never overdue (NULL < today is not true).
            if show == .overdue { select.where("due_on", .lessThan, SQLBind(today)) }
            return select
        }

        func count(_ show: Filter.Show) async throws -> Int {
            let row = try await narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), show).first()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }

        /// The items the filter shows, in the lists' order; `range`: one page of them.
        func items(range: Range<Int>? = nil) async throws -> [Item] {
            let select = ActionList.ordered(narrowed(sql.select().columns(of: Item.self), show))
            if let range { select.offset(range.lowerBound).limit(range.count) }
            return try await select.all(decoding: Item.self)
        }

        /// The filter as query parameters (the default left out), for links.
        var query: [(String, String)] {
            [("show", show == .open ? "" : show.rawValue), ("agency", only?.code ?? "")]
        }
    }
}

extension ActionItem {
    /// The stored item as the lists show it.
    var listItem: ActionList.Item {
        ActionList.Item(id: id ?? UUID(), title: title, description: description, assigneeID: $assignee.id, dueOn: dueOn,
                        priority: priority, status: status, indicatorCode: indicatorCode, programmeID: $programme.id,
                        decisionID: $decision.id, recommendationID: $recommendation.id, createdBy: createdBy,
                        createdAt: createdAt, closedBy: closedBy, closedAt: closedAt)
    }
}
