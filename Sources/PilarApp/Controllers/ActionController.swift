import Fluent
import Foundation
import PilarCore
import Vapor

/// `/actions` (each agency its own; the coordinator and leadership all, overdue first) and
/// `/actions/{id}` (its status). The coordinator creates and assigns items.
enum ActionController {
    /// The new-item form (also what the list shows again when it is refused).
    struct Form: Content {
        var title: String?
        var description: String?
        var assignee: String?
        var dueOn: String?
        var priority: String?
        /// Optionally what it is about: an indicator code of the current cycle, or a programme's id.
        var indicator: String?
        var programme: String?

        enum CodingKeys: String, CodingKey {
            case title, description, assignee, dueOn = "due_on", priority, indicator, programme
        }

        var fields: ActionItems.Fields {
            .init(title: title, description: description, assignee: assignee, dueOn: dueOn, priority: priority)
        }
    }

    /// `POST /actions/{id}`.
    struct StatusForm: Content {
        var status: String?
        var revision: String?
    }

    struct SavedQuery: Content {
        var saved: String?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        let filter = (try? req.query.decode(ActionList.Filter.self)) ?? ActionList.Filter()
        let saved = (try? req.query.decode(SavedQuery.self))?.saved == "1"
        let page = try await ActionsPage.build(req, filter: filter, form: Form(priority: "normal"), saved: saved)
        return try await req.view.render("actions", page)
    }

    /// `POST /actions`: a new item for an agency (coordinator); its users are notified.
    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let region = try await req.currentRegion()
        let form = try req.content.decode(Form.self)
        let checked = try await ActionItems.check(form.fields, region: region, on: req.db)
        var errors = checked.errors.messages(req.t)
        let code = (form.indicator ?? "").uppercased()
        var cycleID: UUID?
        if !code.isEmpty {
            if let cycle = try await CycleData.current(region: region, on: req.db),
               try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db).instrument.find(code)?.node.isIndicator == true {
                cycleID = cycle.id
            } else {
                errors["indicator"] = req.t.format("programme_indicator_unknown", ["codes": code])
            }
        }
        var programmeID: UUID?
        if let raw = form.programme, !raw.isEmpty {
            if let id = UUID(uuidString: raw), let p = try await Programme.find(id, on: req.db), p.$region.id == region.id {
                programmeID = id
            } else {
                errors["programme"] = req.t["action_programme_unknown"]
            }
        }
        guard errors.isEmpty, let agency = checked.agency, let priority = checked.priority else {
            let page = try await ActionsPage.build(req, filter: ActionList.Filter(), form: form, errors: errors)
            return try await req.view.render("actions", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let (linkedCycle, linkedProgramme) = (cycleID, programmeID)
        let item = try await ActionItems.create(req, region: region, title: form.title ?? "", description: form.description,
                                                agency: agency, dueOn: form.dueOn, priority: priority) { item in
            if let linkedCycle {
                item.$cycle.id = linkedCycle
                item.indicatorCode = code
            }
            item.$programme.id = linkedProgramme
        }
        return req.redirect(to: SiteURL.action(id: try item.requireID()).path)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let record = try await ActionItemRecord.load(req)
        let saved = (try? req.query.decode(SavedQuery.self))?.saved
        return try await req.view.render("action", ActionPage.build(req, record: record, saved: saved))
    }

    /// `POST /actions/{id}`: a new status; closing records who and when. Compare-and-set on the revision.
    @Sendable static func update(_ req: Request) async throws -> Response {
        let record = try await ActionItemRecord.load(req)
        try req.authorize(.editAction, on: record.resource)
        let form = try req.content.decode(StatusForm.self)
        guard let status = form.status.flatMap(ActionItem.Status.init(rawValue:)) else {
            let page = try await ActionPage.build(req, record: record, errors: ["status": req.t["setup_status_unknown"]])
            return try await req.view.render("action", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let item = record.item
        let expected = Int(form.revision ?? "") ?? -1
        let user = try req.requireUser()
        let before = item.status.rawValue
        let closing = status.isClosed && !item.status.isClosed
        let reopening = !status.isClosed
        let now = req.now
        let id = try item.requireID()
        let ok = try await req.writeTransaction { tx -> Bool in
            let update = ActionItem.query(on: tx).filter(\.$id == id).filter(\.$revision == expected)
                .set(\.$status, to: status).set(\.$revision, to: expected + 1)
            if closing { update.set(\.$closedBy, to: "\(user.displayName) (\(user.username))").set(\.$closedAt, to: now) }
            if reopening { update.set(\.$closedBy, to: nil).set(\.$closedAt, to: nil) }
            try await update.update()
            guard let fresh = try await ActionItem.find(id, on: tx), fresh.revision == expected + 1, fresh.status == status else {
                return false
            }
            try await AuditLog.record(at: now, on: tx, regionID: record.region.requireID(), cycleID: nil, entity: "action", key: item.title,
                                      action: "update", changes: [.init(field: "status", before: before, after: status.rawValue)],
                                      actor: user)
            return true
        }
        guard ok else {
            let fresh = try await ActionItem.find(id, on: req.db) ?? item
            let page = try await ActionPage.build(
                req, record: ActionItemRecord(item: fresh, region: record.region, resource: record.resource), conflict: true)
            return try await req.view.render("action", page).encodeResponse(status: .conflict, for: req)
        }
        return req.redirect(to: SiteURL.action(id: id).path(query: ["saved": "status"]))
    }
}

extension ActionController.Form {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(title: c.formText(.title), description: c.formText(.description), assignee: c.formText(.assignee),
                  dueOn: c.formText(.dueOn), priority: c.formText(.priority), indicator: c.formText(.indicator),
                  programme: c.formText(.programme))
    }
}
