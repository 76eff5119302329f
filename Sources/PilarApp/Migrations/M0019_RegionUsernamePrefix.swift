import Fluent
import SQLKit

/// Each region's sign-in names start with its own prefix (see `Usernames`): every region gets one
/// (the demo city `kediri`, the names it was seeded with; any other its code), one per region.
struct M0019_RegionUsernamePrefix: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions").field("username_prefix", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update("regions").set("username_prefix", to: "kediri")
            .where("code", .equal, DemoSeed.regionCode).where("is_demo", .equal, true).run()
        try await sql.update("regions").set("username_prefix", to: SQLColumn("code")).where("username_prefix", .is, SQLLiteral.null).run()
        try await sql.create(index: "regions_username_prefix").on("regions").column("username_prefix").unique().run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "regions_username_prefix").run()
        try await database.schema("regions").deleteField("username_prefix").update()
    }
}
