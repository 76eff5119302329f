import Fluent

/// The planner's effort per level step of an indicator, and whether a cycle's official result is
/// shown on the public page.
struct M0016_PlanEffortPublication: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessments").field("plan_effort", .int).update()
        try await database.schema("cycles").field("official_public", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessments").deleteField("plan_effort").update()
        try await database.schema("cycles").deleteField("official_public").update()
    }
}
