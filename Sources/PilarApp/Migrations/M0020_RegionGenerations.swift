import Fluent
import SQLKit

/// The count of committed write transactions moves from one installation-wide row
/// (`pilar_generation`, M0017) to one row per region (see `writeTransaction(region:)`), so a write in
/// one region no longer throws away every other region's cached pages nor queues behind their
/// writers. The always-empty `pilar_write_lock` (M0012) goes too: on SQLite the region's count is now
/// the statement that takes the write lock.
struct M0020_RegionGenerations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("region_generations")
            .field("region_id", .uuid, .identifier(auto: false))
            .field("n", .int64, .required)
            .create()
        try await database.schema("pilar_generation").delete()
        try await database.schema("pilar_write_lock").delete()
    }

    func revert(on database: any Database) async throws {
        try await M0012_CreateWriteLock().prepare(on: database)
        try await M0017_CreateGeneration().prepare(on: database)
        try await database.schema("region_generations").delete()
    }
}
