import Fluent
import SQLKit

/// One row counting committed write transactions (see `writeTransaction`): pages that are costly
/// to compute are kept while the count is unchanged, and every Pilar process sharing the database
/// sees the same count.
struct M0017_CreateGeneration: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("pilar_generation")
            .field("id", .int, .identifier(auto: false))
            .field("n", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("INSERT INTO pilar_generation (id, n) VALUES (1, 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pilar_generation").delete()
    }
}
