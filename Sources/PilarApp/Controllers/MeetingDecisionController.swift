import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /meetings/{id}/decisions/{decision}/action`: a meeting's decision becomes an action item (coordinator).
enum MeetingDecisionController {
    /// The decision's action-item form (also what the meeting page shows again when refused).
    struct Form: Content {
        var title: String?
        var assignee: String?
        var dueOn: String?
        var priority: String?

        enum CodingKeys: String, CodingKey {
            case title, assignee, dueOn = "due_on", priority
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let record = try await MeetingRecord.load(req)
        let region = record.region
        let mid = try record.meeting.requireID()
        guard let did = req.parameters.get("decision", as: UUID.self), let decision = try await MeetingDecision.find(did, on: req.db),
              decision.$meeting.id == mid else { throw Abort(.notFound) }
        if try await ActionItem.query(on: req.db).filter(\.$decision.$id == did).first() != nil {
            throw Abort(.conflict, reason: "meeting_decision_has_action")
        }
        let form = try req.content.decode(Form.self)
        let checked = try await ActionItems.check(
            .init(title: form.title, assignee: form.assignee, dueOn: form.dueOn, priority: form.priority), region: region, on: req.db)
        guard checked.errors.isEmpty, let agency = checked.agency, let priority = checked.priority else {
            let page = try await MeetingPage.build(req, record: record, refused: .decision(did, form),
                                                   errors: checked.errors.messages(req.t))
            return try await req.view.render("meeting", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        _ = try await ActionItems.create(req, region: region, title: form.title ?? "", description: decision.text,
                                         agency: agency, dueOn: form.dueOn, priority: priority) { item in
            item.$decision.id = did
        }
        return req.redirect(to: SiteURL.meeting(id: mid).path + "#decision-\(did.uuidString)")
    }
}

extension MeetingDecisionController.Form {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(title: c.formText(.title), assignee: c.formText(.assignee), dueOn: c.formText(.dueOn), priority: c.formText(.priority))
    }
}
