import Fluent
import Foundation
import PilarCore
import Vapor

/// `/inbox`: the user's notifications; `POST /inbox/read` marks one or all as read.
enum InboxController {
    /// Without `id`, every unread entry; with `open=1`, the entry's page is opened afterwards.
    struct ReadForm: Content {
        var id: String?
        var open: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = c.formText(.id)
            open = c.formText(.open)
        }
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        try await req.view.render("inbox", InboxPage.build(req))
    }

    @Sendable static func read(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(ReadForm.self)
        let userID = try user.requireID()
        var only: UUID?
        var target = SiteURL.inbox.path
        if let raw = form.id, !raw.isEmpty {
            guard let id = UUID(uuidString: raw), let n = try await Notification.find(id, on: req.db),
                  n.$user.id == user.id else { throw Abort(.notFound) }
            only = id
            if form.open == "1" { target = LocalPath.safe(n.link) }
        }
        // One statement on the user's own rows; not a `writeTransaction`, which would count as a change
        // of the region's data and throw away every cached page.
        let query = Notification.query(on: req.db).filter(\.$user.$id == userID).filter(\.$readAt == nil)
        if let only { query.filter(\.$id == only) }
        try await query.set(\.$readAt, to: req.now).update()
        return req.redirect(to: target)
    }
}
