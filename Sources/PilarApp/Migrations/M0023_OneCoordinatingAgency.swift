import Fluent
import SQLKit

/// At most one coordinating agency per region, kept by the database (a partial unique index, on
/// SQLite and PostgreSQL alike): marking another agency first unmarks the one that was.
struct M0023_OneCoordinatingAgency: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX agencies_one_coordinator ON agencies (region_id) WHERE is_coordinator").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX agencies_one_coordinator").run()
    }
}
