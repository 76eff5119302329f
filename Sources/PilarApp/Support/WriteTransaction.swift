import Fluent
import SQLKit

extension Database {
    /// A transaction that writes. SQLite starts transactions deferred: one that reads and then
    /// writes while another connection is writing fails at once with "database is locked" (its
    /// busy handler is not consulted, to avoid a deadlock). Touching a table first makes the
    /// transaction take the write lock before it reads, so concurrent writers wait their turn, as
    /// `BEGIN IMMEDIATE` would. PostgreSQL needs nothing of the kind.
    func writeTransaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" {
                try await sql.raw("DELETE FROM pilar_write_lock").run()
            }
            return try await closure(tx)
        }
    }
}
