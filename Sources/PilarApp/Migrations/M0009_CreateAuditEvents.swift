import Fluent

struct M0009_CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("cycle_id", .uuid, .references("cycles", "id", onDelete: .cascade))
            .field("entity", .string, .required)
            .field("entity_key", .string, .required)
            .field("action", .string, .required)
            .field("field", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("actor_name", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}
