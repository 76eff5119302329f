import Fluent
import Foundation
import Vapor

/// Appends to the audit trail. There is deliberately no update or delete here.
enum AuditLog {
    struct Change {
        var field: String
        var before: String?
        var after: String?
    }

    /// Records every change whose before and after differ, in the caller's transaction.
    static func record(
        at: Date, on db: any Database, regionID: UUID, cycleID: UUID?, entity: String, key: String, action: String,
        changes: [Change], actor: User?
    ) async throws {
        // An empty text and no text are the same to a reader.
        func clean(_ text: String?) -> String? { text?.isEmpty == true ? nil : text }
        for change in changes where clean(change.before) != clean(change.after) {
            let event = AuditEvent()
            event.$region.id = regionID
            event.cycleID = cycleID
            event.entity = entity
            event.entityKey = key
            event.action = action
            event.field = change.field
            event.before = clean(change.before)
            event.after = clean(change.after)
            event.actorID = actor?.id
            event.actorName = actor.map { "\($0.displayName) (\($0.username))" } ?? "system"
            event.at = at
            try await event.create(on: db)
        }
    }

    static func text(_ value: Double?) -> String? { value.map { InstrumentText.level($0) } }

    /// A changed field as people read it: its catalogue name, a stage's name, or the field itself
    /// (official scores are recorded per part, e.g. `group_BL`).
    static func label(field: String, _ t: Catalog.Strings) -> String {
        if let text = t.lookup("field_\(field)") { return text }
        if field.hasPrefix("stage_"), let text = t.lookup("stage_kind_\(field.dropFirst(6))") { return text }
        return field
    }
}

/// Levels as text for the audit trail (3 rather than 3.0).
enum InstrumentText {
    static func level(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
