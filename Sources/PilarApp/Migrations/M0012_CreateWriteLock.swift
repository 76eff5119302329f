import Fluent

/// An always-empty table that write transactions touch first on SQLite (see `writeTransaction`).
struct M0012_CreateWriteLock: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pilar_write_lock").field("id", .int, .identifier(auto: false)).create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pilar_write_lock").delete()
    }
}
