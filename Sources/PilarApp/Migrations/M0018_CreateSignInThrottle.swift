import Fluent

/// Failed sign-ins per client address (beside the per-account count on `users`): a window start
/// and a count, changed by one atomic upsert so parallel requests and processes share it.
struct M0018_CreateSignInThrottle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("signin_throttle")
            .field("id", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("window_start", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("signin_throttle").delete()
    }
}
