import Fluent

struct M0006_CreateAssessments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessments")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("indicator_code", .string, .required)
            .field("lead_agency_id", .uuid, .references("agencies", "id", onDelete: .setNull))
            .field("target_level", .double)
            .field("self_level", .double)
            .field("justification", .string)
            .field("verified_level", .double)
            .field("verified_note", .string)
            .field("official_score", .double)
            .field("not_applicable", .bool, .required)
            .field("status", .string, .required)
            .field("revision", .int, .required)
            .field("updated_at", .datetime)
            .unique(on: "cycle_id", "indicator_code")
            .create()
        try await database.schema("assessment_contributors")
            .id()
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .cascade))
            .unique(on: "assessment_id", "agency_id")
            .create()
        try await database.schema("official_results")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("scope", .string, .required)
            .field("scope_code", .string, .required)
            .field("score", .double, .required)
            .unique(on: "cycle_id", "scope", "scope_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("official_results").delete()
        try await database.schema("assessment_contributors").delete()
        try await database.schema("assessments").delete()
    }
}
