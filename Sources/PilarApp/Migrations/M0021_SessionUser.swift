import Fluent
import SQLKit

/// A session's signed-in user as a column beside its JSON data, so one statement finds the
/// session, its user, the region's generation and the unread count (`DatabaseSessions`).
/// Sessions stored before it have none and are read the older way until their next write.
struct M0021_SessionUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pilar_sessions").field("user_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pilar_sessions").deleteField("user_id").update()
    }
}
