import Fluent
import Foundation
import PilarCore
import Vapor

/// `/inbox`: the signed-in user's notifications, newest first.
enum InboxPage {
    struct Row: Encodable {
        var id: String
        var title: String
        var link: String
        var kind: String
        var kindKey: String
        var at: String
        var unread: Bool
    }

    struct Context: Encodable {
        var page: PageChrome
        var rows: [Row]
        var unread: Int
        /// Where "mark as read" (one or all) is sent.
        var readAction: String
    }

    static func build(_ req: Request) async throws -> Context {
        let user = try req.requireUser()
        let t = req.t
        // The installation's accounts have no region: their times in WIB.
        let zone = (try? await req.currentRegion())?.zone ?? TimeZone(identifier: "Asia/Jakarta")!
        let items = try await Notification.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending).limit(200).all()
        let rows = items.compactMap { n in
            n.id.map { id in
                Row(id: id.uuidString, title: n.title, link: n.link, kind: t["inbox_kind_\(n.kind.rawValue)"], kindKey: n.kind.rawValue,
                    at: Format.dateTime(n.createdAt, zone: zone, t), unread: n.readAt == nil)
            }
        }
        return Context(page: PageChrome(request: req, title: t["inbox_title"]), rows: rows, unread: rows.filter(\.unread).count,
                       readAction: SiteURL.inboxRead.path)
    }
}
