import Fluent
import SQLKit

extension Database {
    /// A transaction that writes. SQLite starts transactions deferred: one that reads and then
    /// writes while another connection is writing fails at once with "database is locked" (its
    /// busy handler is not consulted, to avoid a deadlock). Touching a table first makes the
    /// transaction take the write lock before it reads, so concurrent writers wait their turn, as
    /// `BEGIN IMMEDIATE` would. PostgreSQL needs nothing of the kind.
    ///
    /// Every write transaction also counts itself in `pilar_generation` (committed with it), so
    /// cached pages know when the data changed (`Generation`).
    func writeTransaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" {
                try await sql.raw("DELETE FROM pilar_write_lock").run()
            }
            let result = try await closure(tx)
            if let sql = tx as? any SQLDatabase {
                try await sql.raw("UPDATE pilar_generation SET n = n + 1 WHERE id = 1").run()
            }
            return result
        }
    }
}

/// The count of committed write transactions: a cache entry made at generation g is still right
/// while the count is g.
enum Generation {
    static func current(_ db: any Database) async throws -> Int64 {
        guard let sql = db as? any SQLDatabase,
              let row = try await sql.raw("SELECT n FROM pilar_generation WHERE id = 1").first() else { return -1 }
        return try row.decode(column: "n", as: Int64.self)
    }
}
