import Fluent

struct M0005_CreateCycles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cycles")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("instrument_version_id", .uuid, .required, .references("instrument_versions", "id"))
            .field("target_index", .double)
            .field("status", .string, .required)
            .field("evaluation_date", .string)
            .field("is_demo", .bool, .required)
            .unique(on: "region_id", "year", "instrument_version_id")
            .create()
        try await database.schema("cycle_stages")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("starts_on", .string)
            .field("ends_on", .string)
            .create()
        try await database.schema("cycle_group_targets")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("group_code", .string, .required)
            .field("target", .double, .required)
            .unique(on: "cycle_id", "group_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cycle_group_targets").delete()
        try await database.schema("cycle_stages").delete()
        try await database.schema("cycles").delete()
    }
}
