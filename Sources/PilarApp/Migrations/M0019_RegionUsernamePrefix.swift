import Fluent
import SQLKit

/// Each region's sign-in names start with its own prefix (see `Usernames`); the demo city's is
/// `kediri`, others default to their code. One prefix per region.
struct M0019_RegionUsernamePrefix: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions").field("username_prefix", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update("regions").set("username_prefix", to: "kediri").where("code", .equal, "kota-kediri").run()
        try await sql.create(index: "regions_username_prefix").on("regions").column("username_prefix").unique().run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "regions_username_prefix").run()
        try await database.schema("regions").deleteField("username_prefix").update()
    }
}
