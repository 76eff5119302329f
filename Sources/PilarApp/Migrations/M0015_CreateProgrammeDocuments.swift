import Fluent

/// Documents of a programme (pieces of evidence of its owning agency's library).
struct M0015_CreateProgrammeDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("programme_documents")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", "id", onDelete: .cascade))
            .field("evidence_id", .uuid, .required, .references("evidence", "id", onDelete: .cascade))
            .unique(on: "programme_id", "evidence_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("programme_documents").delete()
    }
}
