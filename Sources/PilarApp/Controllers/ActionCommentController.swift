import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /actions/{id}/comments`: a comment on an action item, by its agency or the coordinator.
enum ActionCommentController {
    struct Form: Content {
        var body: String?

        init(from decoder: any Decoder) throws {
            body = try decoder.container(keyedBy: CodingKeys.self).formText(.body)
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let record = try await ActionItemRecord.load(req)
        try req.authorize(.editAction, on: record.resource)
        let t = req.t
        let body = try req.content.decode(Form.self).body ?? ""
        var errors = FieldErrors()
        errors.text("body", body, max: 5000, required: true)
        guard errors.isEmpty else {
            let page = try await ActionPage.build(req, record: record, errors: errors.messages(t), comment: body)
            return try await req.view.render("action", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let item = record.item
        let user = try req.requireUser()
        let id = try item.requireID()
        let notice = req.application.catalog.strings(.id).format("inbox_comment", ["title": item.title])
        try await req.writeTransaction { tx in
            let comment = ActionComment(itemID: id, author: "\(user.displayName) (\(user.username))", body: body, at: req.now)
            try await comment.create(on: tx)
            // A comment from outside the agency (the coordinator's) lands in the agency's inbox.
            if user.$agency.id != item.$assignee.id {
                try await Inbox.notify(agency: item.$assignee.id, on: tx, kind: .comment, subject: comment.requireID().uuidString,
                                       title: notice, link: SiteURL.action(id: id).path, at: req.now)
            }
        }
        return req.redirect(to: SiteURL.action(id: id).path(query: ["saved": "comment"]))
    }
}
