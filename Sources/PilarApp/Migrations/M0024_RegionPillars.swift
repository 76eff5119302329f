import Fluent

/// Regions made before every new region got the six pillars (a fresh installation's first region
/// had none, so its pillar-owners page was an empty table) get them now.
struct M0024_RegionPillars: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for region in try await Region.query(on: database).all() {
            try await RegionPillars.ensure(region: region.requireID(), on: database)
        }
    }

    func revert(on database: any Database) async throws {}
}
