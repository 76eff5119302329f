import Fluent

struct M0010_CreateEvidence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evidence")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("agency_id", .uuid, .references("agencies", "id", onDelete: .setNull))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("url", .string)
            .field("document_date", .string)
            .field("expires_on", .string)
            .field("note", .string)
            .field("current_version_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("evidence_versions")
            .id()
            .field("evidence_id", .uuid, .required, .references("evidence", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("sha256", .string, .required)
            .field("original_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("uploaded_by", .uuid, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "evidence_id", "number")
            .create()
        try await database.schema("evidence_links")
            .id()
            .field("evidence_id", .uuid, .required, .references("evidence", "id", onDelete: .cascade))
            .field("assessment_id", .uuid, .required, .references("assessments", "id", onDelete: .cascade))
            .unique(on: "evidence_id", "assessment_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_links").delete()
        try await database.schema("evidence_versions").delete()
        try await database.schema("evidence").delete()
    }
}
