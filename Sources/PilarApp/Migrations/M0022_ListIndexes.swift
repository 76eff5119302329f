import Fluent
import SQLKit

/// Indexes for the lookups the busiest pages make. Until now only unique constraints had
/// indexes, so finding an indicator's evidence, an agency's library, an indicator's history or a
/// region's audit trail and action items read the whole table (2,000 evidence links per 100
/// indicators; the audit trail grows with every change of the year).
struct M0022_ListIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("evidence_links_assessment", "evidence_links", ["assessment_id"]),
        ("evidence_library", "evidence", ["region_id", "agency_id", "created_at"]),
        ("audit_events_entity", "audit_events", ["cycle_id", "entity", "entity_key", "at"]),
        ("audit_events_region_at", "audit_events", ["region_id", "at"]),
        ("action_items_region_due", "action_items", ["region_id", "due_on"]),
        ("action_items_assignee", "action_items", ["assignee_agency_id"]),
        ("action_comments_item", "action_comments", ["action_item_id", "at"]),
        ("users_region", "users", ["region_id"]),
        ("pilar_sessions_user", "pilar_sessions", ["user_id"]),
    ]

    func prepare(on database: any Database) async throws {
        try await Self.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await Self.drop(Self.indexes, on: database)
    }

    /// Creates each named index on its table's columns (also used by later index migrations).
    static func create(_ indexes: [(name: String, table: String, columns: [String])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in indexes {
            let create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create.column(column) }
            try await create.run()
        }
    }

    static func drop(_ indexes: [(name: String, table: String, columns: [String])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in indexes { try await sql.drop(index: index.name).run() }
    }
}
