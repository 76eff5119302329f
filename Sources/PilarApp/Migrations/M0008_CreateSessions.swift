import Fluent

struct M0008_CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pilar_sessions")
            .id()
            .field("key", .string, .required)
            .field("data", .string, .required)
            .field("last_seen", .datetime, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pilar_sessions").delete()
    }
}
