import Fluent

/// What the region's admin sets besides the name and letterhead lines: the letterhead's telephone,
/// e-mail and website, the name and NIP of the head of the coordinating agency who signs the
/// report, and whether the public page is on (it was always on).
struct M0025_RegionSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for field in ["letterhead_phone", "letterhead_email", "letterhead_website", "signer_name", "signer_nip"] {
            try await database.schema(Region.schema).field(.string(field), .string).update()
        }
        try await database.schema(Region.schema).field("public_page", .bool, .required, .sql(.default(true))).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["letterhead_phone", "letterhead_email", "letterhead_website", "signer_name", "signer_nip", "public_page"] {
            try await database.schema(Region.schema).deleteField(.string(field)).update()
        }
    }
}
