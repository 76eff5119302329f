import Fluent

/// The level a piece of evidence supports for the indicator it is attached to.
struct M0011_EvidenceSupportsLevel: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("evidence_links").field("supports_level", .double).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_links").deleteField("supports_level").update()
    }
}
