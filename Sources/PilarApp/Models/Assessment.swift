import Fluent
import Foundation
import PilarCore

/// What a city keeps for one indicator in one cycle: who answers it and every score layer.
final class Assessment: Model, @unchecked Sendable {
    static let schema = "assessments"

    typealias Status = AssessmentStatus

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "indicator_code") var indicatorCode: String
    @OptionalParent(key: "lead_agency_id") var leadAgency: Agency?
    @OptionalField(key: "target_level") var targetLevel: Double?
    @OptionalField(key: "self_level") var selfLevel: Double?
    @OptionalField(key: "justification") var justification: String?
    @OptionalField(key: "verified_level") var verifiedLevel: Double?
    @OptionalField(key: "verified_note") var verifiedNote: String?
    @OptionalField(key: "official_score") var officialScore: Double?
    /// Not applicable (only where the instrument allows it): left out of every layer.
    @Field(key: "not_applicable") var notApplicable: Bool
    @Field(key: "status") var status: Status
    /// Incremented on every change, so a second editor is not silently overwritten.
    @Field(key: "revision") var revision: Int
    /// The planner's effort for one level step (1 when not set): a regulation takes longer than an app.
    @OptionalField(key: "plan_effort") var planEffort: Int?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(cycleID: UUID, indicatorCode: String, leadAgencyID: UUID?) {
        self.$cycle.id = cycleID
        self.indicatorCode = indicatorCode
        self.$leadAgency.id = leadAgencyID
        self.notApplicable = false
        self.status = .notStarted
        self.revision = 0
    }

}

import SQLKit
import Vapor

extension Assessment {
    /// The answer row of `code` in the cycle, created empty (not started, revision 0) when there is
    /// none yet. Safe when two requests race: the insert ignores a row that appeared meanwhile,
    /// which also leaves a PostgreSQL transaction usable.
    static func ensure(cycleID: UUID, code: String, at now: Date, on db: any Database) async throws -> Assessment {
        func find() async throws -> Assessment? {
            try await query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$indicatorCode == code).first()
        }
        if let found = try await find() { return found }
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        try await sql.insert(into: schema)
            .columns("id", "cycle_id", "indicator_code", "not_applicable", "status", "revision", "updated_at")
            .values(SQLBind(UUID()), SQLBind(cycleID), SQLBind(code), SQLBind(false),
                    SQLBind(Status.notStarted.rawValue), SQLBind(0), SQLBind(now))
            .ignoringConflicts(with: ["cycle_id", "indicator_code"])
            .run()
        guard let created = try await find() else { throw Abort(.internalServerError) }
        return created
    }
}
