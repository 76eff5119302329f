import Fluent

/// The tables of the file store kept in the database (`PILAR_FILES=postgres`): one row per
/// stored file (its SHA-256 and size) and its bytes in numbered chunks of at most 1 MiB, so a
/// large file is written and read a chunk at a time. Made on every database; only the
/// PostgreSQL store writes them.
struct M0029_CreateStoredFiles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DatabaseBlobStore.filesTable)
            .field("sha256", .string, .identifier(auto: false))
            .field("size", .int64, .required)
            .field("chunks", .int, .required)
            .field("stored_at", .datetime, .required)
            .create()
        try await database.schema(DatabaseBlobStore.chunksTable)
            .field("sha256", .string, .required,
                   .references(DatabaseBlobStore.filesTable, "sha256", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("data", .data, .required)
            .compositeIdentifier(over: "sha256", "seq")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DatabaseBlobStore.chunksTable).delete()
        try await database.schema(DatabaseBlobStore.filesTable).delete()
    }
}
