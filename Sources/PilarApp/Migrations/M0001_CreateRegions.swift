import Fluent

struct M0001_CreateRegions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("province", .string, .required)
            .field("time_zone", .string, .required)
            .field("ministry_name", .string, .required)
            .field("letterhead_government", .string, .required)
            .field("letterhead_agency", .string, .required)
            .field("letterhead_address", .string, .required)
            .field("is_demo", .bool, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("regions").delete()
    }
}
