import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /programmes/{id}/milestones` (a new milestone) and `POST /programmes/{id}/milestones/{milestone}`
/// (done or not), by the owning agency or the coordinator.
enum MilestoneController {
    struct NewForm: Content {
        var title: String?
        var due: String?

        enum CodingKeys: String, CodingKey { case title = "milestone_title", due = "milestone_due" }

        var typed: [String: String] { ["milestone_title": title.formText, "milestone_due": due.formText] }
    }

    struct DoneForm: Content {
        var done: String?
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let form = try req.content.decode(NewForm.self)
        var errors = FieldErrors()
        let title = errors.text("milestone_title", form.title, max: 300, required: true)
        let due = errors.date("milestone_due", form.due)
        guard errors.isEmpty else {
            return try await ProgrammeController.refuse(req, record, form: form.typed, errors: errors.messages(req.t))
        }
        let pid = record.id
        let count = try await Milestone.query(on: req.db).filter(\.$programme.$id == pid).count()
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await Milestone(programmeID: pid, position: count, title: title, dueOn: due).create(on: tx)
            try await record.audit(req, on: tx, changes: [.init(field: "milestone", before: nil, after: title)], user: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "milestone"]))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let pid = record.id
        guard let mid = req.parameters.get("milestone", as: UUID.self), let m = try await Milestone.find(mid, on: req.db),
              m.$programme.id == pid else { throw Abort(.notFound) }
        let form = try req.content.decode(DoneForm.self)
        let done = form.done.formText == "1"
        let before = m.done
        m.done = done
        m.doneOn = done ? (m.doneOn ?? req.today(in: record.region.zone)) : nil
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await m.save(on: tx)
            try await record.audit(req, on: tx, changes: [.init(field: "milestone", before: "\(m.title): \(before ? "✓" : "–")",
                                                                after: "\(m.title): \(done ? "✓" : "–")")], user: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "milestone"]))
    }
}
