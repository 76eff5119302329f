import Foundation
import Fluent
import SQLKit

/// Regions made before every new region got the six pillars (a fresh installation's first region
/// had none, so its pillar-owners page was an empty table) get them now. (The regions are read by
/// id only: later migrations add columns the `Region` model already names.)
struct M0024_RegionPillars: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for row in try await sql.select().column("id").from(Region.schema).all() {
            try await RegionPillars.ensure(region: row.decode(column: "id", as: UUID.self), on: database)
        }
    }

    func revert(on database: any Database) async throws {}
}
