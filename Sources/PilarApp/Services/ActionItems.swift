import Fluent
import Foundation
import PilarCore
import Vapor

/// Making action items, wherever they come from (the list's form, a meeting's decision, a
/// recommendation, the plan): the checks of their fields, the write with its audit record and
/// the assigned agency's inbox entry.
enum ActionItems {
    /// The fields every new item has, as posted (trimmed).
    struct Fields {
        var title: String?
        var description: String?
        var assignee: String?
        var dueOn: String?
        var priority: String?
    }

    /// What the checks found: the agency and priority when they are valid, and the problems by field.
    struct Checked {
        var agency: Agency?
        var priority: ActionItem.Priority?
        var errors: FieldErrors
    }

    /// Checks an item's fields against the region's agencies.
    static func check(_ fields: Fields, region: Region, on db: any Database) async throws -> Checked {
        var errors = FieldErrors()
        errors.text("title", fields.title, max: 300, required: true)
        errors.text("description", fields.description, max: 5000)
        var agency: Agency?
        if let id = UUID(uuidString: fields.assignee ?? ""), let found = try await Agency.find(id, on: db),
           found.$region.id == region.id {
            agency = found
        } else {
            errors.add("assignee", "setup_agency_unknown")
        }
        errors.date("due_on", fields.dueOn)
        let priority = ActionItem.Priority(rawValue: fields.priority ?? "")
        if priority == nil { errors.add("priority", "setup_status_unknown") }
        return Checked(agency: agency, priority: priority, errors: errors)
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
        try await req.writeTransaction { tx in
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
}
