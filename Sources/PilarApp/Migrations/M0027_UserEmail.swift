import Fluent

/// A user's e-mail address (optional; from the user sheet, later for reminders by mail).
struct M0027_UserEmail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("email", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("email").update()
    }
}
