import Fluent
import Foundation
import PilarCore
import Vapor

/// `/actions/{id}`: one action item, what it came from, its comments, and the forms to change its
/// status and to comment.
enum ActionPage {
    struct CommentRow: Encodable {
        var author: String
        var at: String
        var body: String
    }

    struct Context: Encodable {
        var page: PageChrome
        var row: ActionRow
        var description: String?
        var created: String
        var links: [PageChrome.NavItem]
        var comments: [CommentRow]
        var canEdit: Bool
        var statuses: [Setup.Option]
        var action: String
        var commentAction: String
        var revision: Int
        var errors: [String: String]
        var conflict: Bool
        var comment: String
        var saved: String?
        /// The list of items, for the crumbs.
        var actionsHref: String
    }

    static func build(_ req: Request, record: ActionItemRecord, errors: [String: String] = [:], conflict: Bool = false,
                      comment: String = "", saved: String? = nil) async throws -> Context {
        let t = req.t
        let item = record.item, region = record.region
        let id = try item.requireID()
        guard let row = try await ActionList.rows(req, region: region, items: [item.listItem]).first else { throw Abort(.notFound) }
        let comments = try await ActionComment.query(on: req.db).filter(\.$item.$id == id).sort(\.$at).all().map {
            CommentRow(author: $0.author, at: Format.dateTime($0.at, zone: region.zone, t), body: $0.body)
        }
        return Context(
            page: PageChrome(request: req, title: item.title), row: row, description: item.description,
            created: "\(item.createdBy) · \(Format.dateTime(item.createdAt, zone: region.zone, t))",
            links: try await links(req, item: item, region: region),
            comments: comments, canEdit: AccessPolicy.allows(try req.actor(), .editAction, on: record.resource),
            statuses: ActionItem.Status.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["action_status_\($0.rawValue)"], selected: $0 == item.status)
            },
            action: SiteURL.action(id: id).path, commentAction: SiteURL.actionComments(id: id).path, revision: item.revision,
            errors: errors, conflict: conflict, comment: comment,
            saved: saved.flatMap { t.lookup("action_saved_\($0)") }, actionsHref: SiteURL.actions.path)
    }

    /// What the item came from: an indicator, a programme, a meeting's decision, a recommendation.
    static func links(_ req: Request, item: ActionItem, region: Region) async throws -> [PageChrome.NavItem] {
        let t = req.t
        var links: [PageChrome.NavItem] = []
        if let code = item.indicatorCode {
            var year = try await item.$cycle.get(on: req.db)?.year
            if year == nil { year = try await CycleData.current(region: region, on: req.db)?.year }
            if let year { links.append(.init(href: SiteURL.indicator(year: year, code: code).path, label: "\(t["action_source_indicator"]) \(code)", current: false)) }
        }
        if let pid = item.$programme.id, let p = try await Programme.find(pid, on: req.db) {
            links.append(.init(href: SiteURL.programme(id: pid).path, label: p.title, current: false))
        }
        if let did = item.$decision.id, let d = try await MeetingDecision.find(did, on: req.db) {
            links.append(.init(href: SiteURL.meeting(id: d.$meeting.id).path + "#decision-\(did.uuidString)", label: t["action_source_meeting"], current: false))
        }
        if let rid = item.$recommendation.id, let r = try await Recommendation.find(rid, on: req.db),
           let c = try await Cycle.find(r.$cycle.id, on: req.db) {
            links.append(.init(href: SiteURL.recommendations(year: c.year).path, label: "\(t["action_source_recommendation"]) \(c.year)", current: false))
        }
        return links
    }
}
