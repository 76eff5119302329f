import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// Each user's inbox: assignments and returned answers are written when they happen; reminders
/// for items due soon or overdue are added when the user next opens a page (one per item and kind).
enum Inbox {
    /// Tells every active user of `agency`.
    static func notify(agency: UUID, on db: any Database, kind: Notification.Kind, subject: String, title: String,
                       link: String, at: Date) async throws {
        let users = try await User.query(on: db).filter(\.$agency.$id == agency).filter(\.$active == true).all()
        for user in users where user.role == .agency || user.role == .coordinator {
            try await add(Notification(userID: try user.requireID(), kind: kind, subjectKey: subject, title: title, link: link, at: at), on: db)
        }
    }

    /// Inserts unless the user already has one of this kind about this subject.
    static func add(_ n: Notification, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return try await n.create(on: db) }
        try await sql.insert(into: Notification.schema)
            .columns("id", "user_id", "kind", "subject_key", "title", "link", "created_at")
            .values(SQLBind(UUID()), SQLBind(n.$user.id), SQLBind(n.kind.rawValue), SQLBind(n.subjectKey), SQLBind(n.title),
                    SQLBind(n.link), SQLBind(n.createdAt))
            .ignoringConflicts(with: ["user_id", "kind", "subject_key"])
            .run()
    }

    /// Adds the due-soon and overdue reminders of the user's agency's open items.
    static func remind(_ user: User, region: Region, on db: any Database, catalog: Catalog, now: Date) async throws {
        guard let agency = user.$agency.id, let userID = user.id else { return }
        let today = CalendarDate.today(in: region.zone, now: now)
        let horizon = CalendarDate.adding(days: ActionList.soonDays, to: today)
        let items = try await ActionItem.query(on: db).filter(\.$assignee.$id == agency)
            .filter(\.$status ~~ ActionItem.Status.stillOpen)
            .filter(\.$dueOn <= horizon).all()
        let t = catalog.strings(.id)
        for item in items {
            guard let due = item.dueOn, let id = item.id else { continue }
            let overdue = due < today
            try await add(Notification(userID: userID, kind: overdue ? .overdue : .dueSoon, subjectKey: id.uuidString,
                                       title: t.format(overdue ? "inbox_overdue" : "inbox_due_soon", ["title": item.title]),
                                       link: SiteURL.action(id: id).path, at: now), on: db)
        }
    }

    static func unread(_ user: User, on db: any Database) async throws -> Int {
        guard let id = user.id else { return 0 }
        return try await Notification.query(on: db).filter(\.$user.$id == id).filter(\.$readAt == nil).count()
    }
}

/// Puts the signed-in user's unread count on every page (after adding any due reminders, at most
/// once a minute per user).
/// Without reminders due and with the count from the session lookup (the usual case) it does its
/// work on the event loop, without a task.
struct InboxCountMiddleware: Middleware {
    /// When each user's reminders were last added.
    final class Recent: @unchecked Sendable {
        private let lock = NSLock()
        private var last: [UUID: Date] = [:]
        func due(_ id: UUID, now: Date) -> Bool {
            lock.lock(); defer { lock.unlock() }
            if let at = last[id], now.timeIntervalSince(at) < 60 { return false }
            last[id] = now
            return true
        }
    }

    static let recent = Recent()

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET, let user = request.auth.get(User.self), let id = user.id,
              !request.url.path.hasPrefix("/api/"), !request.url.path.hasPrefix("/evidence/")
        else { return next.respond(to: request) }
        let due = Self.recent.due(id, now: request.now)
        if !due, let lookup = request.storage[SessionLookup.self], lookup.user === user {
            request.inboxUnread = lookup.unread // counted by the session lookup
            return next.respond(to: request)
        }
        let promise = request.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            // The installation's accounts have no region, and nothing assigned to remind of.
            if due, user.role.belongsToRegion {
                let region = try await request.currentRegion()
                try await Inbox.remind(user, region: region, on: request.db, catalog: request.application.catalog, now: request.now)
            }
            request.inboxUnread = try await Inbox.unread(user, on: request.db)
        }
        return promise.futureResult.flatMap { next.respond(to: request) }
    }
}

extension Request {
    private struct UnreadKey: StorageKey { typealias Value = Int }

    /// The signed-in user's unread inbox entries (set for pages by `InboxCountMiddleware`).
    var inboxUnread: Int {
        get { storage[UnreadKey.self] ?? 0 }
        set { storage[UnreadKey.self] = newValue }
    }
}
