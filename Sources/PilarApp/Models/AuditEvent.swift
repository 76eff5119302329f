import Fluent
import Foundation

/// One recorded change: who changed what, when, from what to what. Written only by `AuditLog`;
/// the application has no route that edits or deletes these rows.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @OptionalField(key: "cycle_id") var cycleID: UUID?
    /// What kind of record changed: `assessment`, `evidence`, `user`, …
    @Field(key: "entity") var entity: String
    /// A readable key of the record, e.g. the indicator code.
    @Field(key: "entity_key") var entityKey: String
    /// What was done: `save`, `submit`, `verify`, `return`, …
    @Field(key: "action") var action: String
    @Field(key: "field") var field: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "at") var at: Date

    init() {}
}
