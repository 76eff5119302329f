import Fluent

struct M0004_CreateInstruments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("instrument_versions")
            .id()
            .field("key", .string, .required)
            .field("title", .string, .required)
            .field("authority", .string, .required)
            .field("edition", .string, .required)
            .field("is_model", .bool, .required)
            .field("source", .string, .required)
            .field("sha256", .string, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "key")
            .create()
        try await database.schema("instrument_nodes")
            .id()
            .field("version_id", .uuid, .required, .references("instrument_versions", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("parent_code", .string)
            .field("top_code", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("weight", .double, .required)
            .field("pillar", .string)
            .field("element", .string)
            .field("na_allowed", .bool, .required)
            .field("position", .int, .required)
            .field("depth", .int, .required)
            .unique(on: "version_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("instrument_nodes").delete()
        try await database.schema("instrument_versions").delete()
    }
}
