import Fluent
import SQLKit

/// The operator and reviewers belong to the installation, not to a region: `users.region_id` may be
/// empty. PostgreSQL drops the constraint; SQLite cannot alter a column, so the table is rebuilt the
/// way SQLite's documentation prescribes (foreign keys off on one connection, the new table filled
/// and renamed inside a transaction, the keys checked before the commit). Also the regions given to
/// each reviewer, and each region's letterhead logo.
struct M0026_InstallationAccounts: AsyncMigration {
    struct ForeignKeyViolation: Error, CustomStringConvertible {
        var description: String { "users: rebuilding the table left rows whose references do not hold" }
    }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await database.withConnection { connection in
                guard let sql = connection as? any SQLDatabase else { return }
                let ddl = try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
                    .first()?.decode(column: "sql", as: String.self) ?? ""
                let nullable = ddl.replacingOccurrences(of: #""region_id" UUID NOT NULL"#, with: #""region_id" UUID"#)
                    .replacingOccurrences(of: #"CREATE TABLE "users""#, with: #"CREATE TABLE "users_rebuilt""#)
                guard nullable != ddl, nullable.contains("users_rebuilt") else { return }
                try await sql.raw("PRAGMA foreign_keys = OFF").run()
                do {
                    try await sql.raw("BEGIN").run()
                    try await sql.raw(SQLQueryString(nullable)).run()
                    try await sql.raw("INSERT INTO users_rebuilt SELECT * FROM users").run()
                    try await sql.raw("DROP TABLE users").run()
                    try await sql.raw("ALTER TABLE users_rebuilt RENAME TO users").run()
                    try await sql.raw("CREATE INDEX users_region ON users (region_id)").run()
                    guard try await sql.raw("PRAGMA foreign_key_check").all().isEmpty else { throw ForeignKeyViolation() }
                    try await sql.raw("COMMIT").run()
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    try? await sql.raw("PRAGMA foreign_keys = ON").run()
                    throw error
                }
                try await sql.raw("PRAGMA foreign_keys = ON").run()
            }
        } else {
            try await sql.raw("ALTER TABLE users ALTER COLUMN region_id DROP NOT NULL").run()
        }
        try await database.schema("reviewer_regions")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .unique(on: "user_id", "region_id")
            .create()
        try await database.schema("region_logos")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("content_type", .string, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .unique(on: "region_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("region_logos").delete()
        try await database.schema("reviewer_regions").delete()
    }
}
