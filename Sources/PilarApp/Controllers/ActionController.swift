import Fluent
import Foundation
import PilarCore
import Vapor

/// `/actions` (each agency its own; the coordinator and leadership all, overdue first) and
/// `/actions/{id}` (status, comments). The coordinator creates and assigns items.
enum ActionController {
    struct ListPage: Encodable {
        var page: PageChrome
        var actionRows: [ActionRow]
        var open: Int
        var overdue: Int
        var pager: Pager
        /// The agency filter, for those who read every agency's items.
        var agencyFilter: [Setup.Option]?
        var shows: [Setup.Option]
        /// The list as it is filtered, to download.
        var downloads: [Setup.Option]
        var canCreate: Bool
        var form: [String: String]
        var errors: [String: String]
        var agencies: [Setup.Option]
        var priorities: [Setup.Option]
        var saved: Bool
        var programmes: [Setup.Option]
    }

    typealias Filter = ActionList.Filter

    @Sendable static func list(_ req: Request) async throws -> View {
        let filter = (try? req.query.decode(Filter.self)) ?? Filter()
        return try await renderList(req, filter: filter, form: ["priority": "normal"],
                                    saved: (try? req.query.get(String.self, at: "saved")) == "1")
    }

    static func renderList(_ req: Request, filter: Filter, form: [String: String], errors: [String: String] = [:],
                           saved: Bool = false) async throws -> View {
        try req.authorize(.readActions)
        let t = req.t
        let actor = try req.actor()
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let selection = try ActionList.Selection(req, region: region, filter: filter, agencies: agencies)
        let only = selection.only, readsAll = selection.readsAll
        // Counted and paged by the database: a large region has thousands of items.
        let open = try await selection.open().count()
        let overdue = try await selection.overdue().count()
        let shown = try selection.shown()
        let total = filter.show == .open ? open : filter.show == .overdue ? overdue : try await shown.count()
        let pager = Pager(total: total, requested: filter.page, path: SiteURL.actions.path, query: selection.query,
                          language: req.language)
        let items = try await ActionList.ordered(shown).range(pager.offset..<(pager.offset + pager.perPage)).all()
        let rows = try await ActionList.rows(req, region: region, items: items, agencies: agencies)
        let canCreate = AccessPolicy.allows(actor, .manageActions)
        var title = t["actions_title"]
        if let only { title += " · " + only.code }
        let page = ListPage(
            page: PageChrome(request: req, title: title), actionRows: rows, open: open, overdue: overdue, pager: pager,
            agencyFilter: readsAll
                ? [Setup.Option(value: "", label: t["actions_all_agencies"], selected: only == nil)] + agencies.map {
                    // By code, as the dashboard's links name them.
                    Setup.Option(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.id == only?.id)
                } : nil,
            shows: Filter.Show.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["actions_show_\($0.rawValue)"], selected: $0 == filter.show)
            },
            downloads: SiteURL.ExportFormat.allCases.map { format in
                Setup.Option(value: Pager.link(SiteURL.listExport(list: .actions, format: format).path, query: selection.query),
                             label: format.rawValue.uppercased(), selected: false)
            },
            canCreate: canCreate, form: form, errors: errors,
            agencies: Setup.agencyOptions(agencies, selected: form["assignee"], empty: t["actions_choose_agency"]),
            priorities: ActionItem.Priority.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["priority_\($0.rawValue)"], selected: $0.rawValue == form["priority"])
            }, saved: saved,
            // The new-item form's programmes, only for those who see the form.
            programmes: !canCreate ? [] : [Setup.Option(value: "", label: "–", selected: (form["programme"] ?? "").isEmpty)]
                + (try await Programme.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$title).all()).map {
                    Setup.Option(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id?.uuidString == form["programme"])
                })
        return try await req.view.render("actions", page)
    }

    /// Checks an action item's fields; problems keyed by field.
    static func validate(_ form: [String: String], req: Request, region: Region) async throws -> (Agency?, ActionItem.Priority?, [String: String]) {
        let t = req.t
        var errors: [String: String] = [:]
        let title = form["title"] ?? ""
        if title.isEmpty { errors["title"] = t["setup_required"] }
        if title.count > 300 { errors["title"] = t["setup_too_long"] }
        if (form["description"] ?? "").count > 5000 { errors["description"] = t["setup_too_long"] }
        var agency: Agency?
        if let id = UUID(uuidString: form["assignee"] ?? ""), let found = try await Agency.find(id, on: req.db),
           found.$region.id == region.id {
            agency = found
        } else {
            errors["assignee"] = t["setup_agency_unknown"]
        }
        if let due = form["due_on"], !due.isEmpty, !CalendarDate.isValid(due) { errors["due_on"] = t["evidence_date_invalid"] }
        let priority = ActionItem.Priority(rawValue: form["priority"] ?? "")
        if priority == nil { errors["priority"] = t["setup_status_unknown"] }
        return (agency, priority, errors)
    }

    /// `POST /actions`: a new item for an agency (coordinator); its users are notified.
    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let region = try await req.currentRegion()
        let form = try Setup.fields(req)
        var (agency, priority, errors) = try await validate(form, req: req, region: region)
        // Optionally what it is about: an indicator of the current cycle, or a programme.
        let code = (form["indicator"] ?? "").uppercased()
        var cycleID: UUID?
        if !code.isEmpty {
            if let cycle = try await CycleData.current(region: region, on: req.db),
               try req.application.instruments.compiled(cycle.instrumentVersion).instrument.find(code)?.node.isIndicator == true {
                cycleID = cycle.id
            } else {
                errors["indicator"] = req.t.format("programme_indicator_unknown", ["codes": code])
            }
        }
        var programmeID: UUID?
        if let raw = form["programme"], !raw.isEmpty {
            if let id = UUID(uuidString: raw), let p = try await Programme.find(id, on: req.db), p.$region.id == region.id {
                programmeID = id
            } else {
                errors["programme"] = req.t["action_programme_unknown"]
            }
        }
        guard errors.isEmpty, let agency, let priority else {
            return try await renderList(req, filter: Filter(), form: form, errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let (linkedCycle, linkedProgramme) = (cycleID, programmeID)
        let item = try await create(req, region: region, title: form["title"] ?? "", description: form["description"],
                                    agency: agency, dueOn: form["due_on"], priority: priority) { item in
            if let linkedCycle {
                item.$cycle.id = linkedCycle
                item.indicatorCode = code
            }
            item.$programme.id = linkedProgramme
        }
        return req.redirect(to: SiteURL.action(id: try item.requireID()).path)
    }

    /// Creates an item, lets `link` tie it to what it came from, records it and tells the agency.
    static func create(
        _ req: Request, region: Region, title: String, description: String?, agency: Agency, dueOn: String?,
        priority: ActionItem.Priority, link: @escaping @Sendable (ActionItem) -> Void
    ) async throws -> ActionItem {
        let user = try req.requireUser()
        let item = ActionItem(regionID: try region.requireID(), title: title,
                              description: description.flatMap { $0.isEmpty ? nil : $0 }, assigneeID: try agency.requireID(),
                              dueOn: dueOn.flatMap { $0.isEmpty ? nil : $0 }, priority: priority,
                              createdBy: "\(user.displayName) (\(user.username))", at: req.now)
        link(item)
        try await req.db.writeTransaction { tx in
            try await insert(item, agency: agency, region: region, user: user, on: tx, req: req)
        }
        return item
    }

    /// Stores a new item inside the caller's transaction: the audit record and the agency's inbox entry.
    static func insert(_ item: ActionItem, agency: Agency, region: Region, user: User, on tx: any Database,
                       req: Request) async throws {
        let t = req.application.catalog.strings(.id)
        try await item.create(on: tx)
        let id = try item.requireID()
        try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "action", key: item.title,
                                  action: "create", changes: [
                                      .init(field: "agency", before: nil, after: agency.code),
                                      .init(field: "due_on", before: nil, after: item.dueOn),
                                  ], actor: user)
        try await Inbox.notify(agency: agency.requireID(), on: tx, kind: .assigned, subject: id.uuidString,
                               title: t.format("inbox_assigned", ["title": item.title]), link: SiteURL.action(id: id).path,
                               at: req.now)
    }

    // MARK: One item

    struct CommentRow: Encodable {
        var author: String
        var at: String
        var body: String
    }

    struct DetailPage: Encodable {
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
    }

    static func load(_ req: Request) async throws -> (ActionItem, Region, AccessPolicy.Resource) {
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let item = try await ActionItem.find(id, on: req.db),
              item.$region.id == region.id else { throw Abort(.notFound) }
        let resource = AccessPolicy.Resource(regionID: region.id?.uuidString ?? "", agencyIDs: [item.$assignee.id.uuidString])
        try req.authorize(.readActions, on: resource)
        return (item, region, resource)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let (item, region, resource) = try await load(req)
        let saved = try? req.query.get(String.self, at: "saved")
        return try await render(req, item, region, resource, saved: saved)
    }

    static func render(_ req: Request, _ item: ActionItem, _ region: Region, _ resource: AccessPolicy.Resource,
                       errors: [String: String] = [:], conflict: Bool = false, comment: String = "", saved: String? = nil)
        async throws -> View
    {
        let t = req.t
        let id = try item.requireID()
        let row = try await ActionList.rows(req, region: region, items: [item])[0]
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
        let comments = try await ActionComment.query(on: req.db).filter(\.$item.$id == id).sort(\.$at).all().map {
            CommentRow(author: $0.author, at: Format.dateTime($0.at, zone: region.zone, t), body: $0.body)
        }
        let page = DetailPage(
            page: PageChrome(request: req, title: item.title), row: row, description: item.description,
            created: "\(item.createdBy) · \(Format.dateTime(item.createdAt, zone: region.zone, t))", links: links,
            comments: comments, canEdit: AccessPolicy.allows(try req.actor(), .editAction, on: resource),
            statuses: ActionItem.Status.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["action_status_\($0.rawValue)"], selected: $0.rawValue == item.status)
            },
            action: SiteURL.action(id: id).path, commentAction: SiteURL.actionComments(id: id).path, revision: item.revision,
            errors: errors, conflict: conflict, comment: comment,
            saved: saved.flatMap { t.lookup("action_saved_\($0)") })
        return try await req.view.render("action", page)
    }

    /// `POST /actions/{id}`: a new status; closing records who and when. Compare-and-set on the revision.
    @Sendable static func update(_ req: Request) async throws -> Response {
        let (item, region, resource) = try await load(req)
        try req.authorize(.editAction, on: resource)
        let t = req.t
        let form = try Setup.fields(req)
        guard let status = ActionItem.Status(rawValue: form["status"] ?? "") else {
            return try await render(req, item, region, resource, errors: ["status": t["setup_status_unknown"]])
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let expected = Int(form["revision"] ?? "") ?? -1
        let user = try req.requireUser()
        let before = item.status
        let closing = status.isClosed && !item.statusValue.isClosed
        let reopening = !status.isClosed
        let now = req.now
        let id = try item.requireID()
        let ok = try await req.db.writeTransaction { tx -> Bool in
            let update = ActionItem.query(on: tx).filter(\.$id == id).filter(\.$revision == expected)
                .set(\.$status, to: status.rawValue).set(\.$revision, to: expected + 1)
            if closing { update.set(\.$closedBy, to: "\(user.displayName) (\(user.username))").set(\.$closedAt, to: now) }
            if reopening { update.set(\.$closedBy, to: nil).set(\.$closedAt, to: nil) }
            try await update.update()
            guard let fresh = try await ActionItem.find(id, on: tx), fresh.revision == expected + 1, fresh.status == status.rawValue else {
                return false
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "action", key: item.title,
                                      action: "update", changes: [.init(field: "status", before: before, after: status.rawValue)],
                                      actor: user)
            return true
        }
        guard ok else {
            let fresh = try await ActionItem.find(id, on: req.db) ?? item
            return try await render(req, fresh, region, resource, conflict: true).encodeResponse(status: .conflict, for: req)
        }
        return req.redirect(to: SiteURL.action(id: id).path + "?saved=status")
    }

    /// `POST /actions/{id}/comments`.
    @Sendable static func comment(_ req: Request) async throws -> Response {
        let (item, region, resource) = try await load(req)
        try req.authorize(.editAction, on: resource)
        let t = req.t
        let body = (try Setup.fields(req))["body"] ?? ""
        guard !body.isEmpty, body.count <= 5000 else {
            return try await render(req, item, region, resource, errors: ["body": body.isEmpty ? t["setup_required"] : t["setup_too_long"]],
                                    comment: body).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let id = try item.requireID()
        let notice = req.application.catalog.strings(.id).format("inbox_comment", ["title": item.title])
        try await req.db.writeTransaction { tx in
            let comment = ActionComment(itemID: id, author: "\(user.displayName) (\(user.username))", body: body, at: req.now)
            try await comment.create(on: tx)
            // A comment from outside the agency (the coordinator's) lands in the agency's inbox.
            if user.$agency.id != item.$assignee.id {
                try await Inbox.notify(agency: item.$assignee.id, on: tx, kind: .comment, subject: comment.requireID().uuidString,
                                       title: notice, link: SiteURL.action(id: id).path, at: req.now)
            }
        }
        return req.redirect(to: SiteURL.action(id: id).path + "?saved=comment")
    }
}
