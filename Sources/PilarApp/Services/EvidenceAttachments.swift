import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// Every indicator a piece of evidence backs, read as plain rows: a new version replaces the
/// file on all of them, so its permission and its audit entries look at all of them.
enum EvidenceAttachments {
    struct Attachment: Decodable {
        var cycleID: UUID
        var code: String
        var status: String

        enum CodingKeys: String, CodingKey {
            case cycleID = "cycle_id", code = "indicator_code", status
        }

        var statusValue: AssessmentStatus { AssessmentStatus(rawValue: status) ?? .notStarted }
    }

    static func of(_ evidenceID: UUID, on db: any Database) async throws -> [Attachment] {
        try await linked(on: db)
            .column(SQLColumn("cycle_id", table: "assessments"))
            .column(SQLColumn("indicator_code", table: "assessments"))
            .column(SQLColumn("status", table: "assessments"))
            .where(SQLColumn("evidence_id", table: "evidence_links"), .equal, SQLBind(evidenceID))
            .orderBy(SQLColumn("indicator_code", table: "assessments"))
            .all(decoding: Attachment.self)
    }

    /// The states of the indicators each piece of evidence backs, for several pieces in one query.
    static func statuses(of evidenceIDs: [UUID], on db: any Database) async throws -> [UUID: [AssessmentStatus]] {
        guard !evidenceIDs.isEmpty else { return [:] }
        struct Row: Decodable {
            var evidence_id: UUID
            var status: String
        }
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.raw("""
            SELECT l.evidence_id, a.status FROM evidence_links l JOIN assessments a ON a.id = l.assessment_id
            WHERE l.evidence_id IN (\(binds: evidenceIDs))
            """).all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.evidence_id).mapValues { $0.map { AssessmentStatus(rawValue: $0.status) ?? .notStarted } }
    }

    /// Evidence links joined to the assessments they point at. Never "attached nowhere" by mistake
    /// (that would let a version through unchecked): without SQL it throws.
    private static func linked(on db: any Database) throws -> SQLSelectBuilder {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return sql.select().from("evidence_links")
            .join("assessments", on: SQLColumn("assessment_id", table: "evidence_links"), .equal, SQLColumn("id", table: "assessments"))
    }
}
