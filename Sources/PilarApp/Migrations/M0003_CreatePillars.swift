import Fluent

struct M0003_CreatePillars: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pillars")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("lead_agency_id", .uuid, .references("agencies", "id", onDelete: .setNull))
            .field("position", .int, .required)
            .unique(on: "region_id", "code")
            .create()
        try await database.schema("pillar_elements")
            .id()
            .field("pillar_id", .uuid, .required, .references("pillars", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "pillar_id", "code")
            .create()
        try await database.schema("pillar_supports")
            .id()
            .field("pillar_id", .uuid, .required, .references("pillars", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .cascade))
            .unique(on: "pillar_id", "agency_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pillar_supports").delete()
        try await database.schema("pillar_elements").delete()
        try await database.schema("pillars").delete()
    }
}
