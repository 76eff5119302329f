import Fluent
import Foundation
import SQLKit
import PilarCore
import Vapor

/// A cycle with everything needed to score it: its instrument and every indicator's values.
/// The answers are plain rows of the columns pages read (a large region has thousands), not models.
struct CycleData {
    let region: Region
    let cycle: Cycle
    let compiled: CompiledInstrument
    let assessments: [String: Answer]
    /// The contributing agencies of each answer (by answer id), besides its lead.
    let contributors: [UUID: [UUID]]
    let groupTargets: [String: Double]
    let officialResults: [OfficialResult]
    /// Who owns each answer (by answer id): the lead agency and the contributors, as agency ids,
    /// the form the permission table reads; made once with the data, not per request.
    let ownerIDs: [UUID: Set<String>]

    /// One indicator's stored answer: what the lists, the scores and the exports read.
    struct Answer: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var indicatorCode: String
        var leadAgencyID: UUID?
        var targetLevel: Double?
        var selfLevel: Double?
        var justification: String?
        var verifiedLevel: Double?
        var verifiedNote: String?
        var officialScore: Double?
        var notApplicable: Bool
        var status: AssessmentStatus
        var revision: Int
        var planEffort: Int?
        var updatedAt: Date?

        /// Read column by column (a cycle's every answer is read after each write).
        init(_ c: RowColumns) throws {
            id = try c.uuid("id")
            indicatorCode = try c.string("indicator_code")
            leadAgencyID = try c.optionalUUID("lead_agency_id")
            targetLevel = try c.optionalDouble("target_level")
            selfLevel = try c.optionalDouble("self_level")
            justification = try c.optionalString("justification")
            verifiedLevel = try c.optionalDouble("verified_level")
            verifiedNote = try c.optionalString("verified_note")
            officialScore = try c.optionalDouble("official_score")
            notApplicable = try c.bool("not_applicable")
            status = try c.raw("status")
            revision = try c.int("revision")
            planEffort = try c.optionalInt("plan_effort")
            updatedAt = try c.optionalDate("updated_at")
        }

        init(id: UUID, indicatorCode: String, leadAgencyID: UUID?, targetLevel: Double?, selfLevel: Double?,
             justification: String?, verifiedLevel: Double?, verifiedNote: String?, officialScore: Double?,
             notApplicable: Bool, status: AssessmentStatus, revision: Int, planEffort: Int?, updatedAt: Date?) {
            self.id = id
            self.indicatorCode = indicatorCode
            self.leadAgencyID = leadAgencyID
            self.targetLevel = targetLevel
            self.selfLevel = selfLevel
            self.justification = justification
            self.verifiedLevel = verifiedLevel
            self.verifiedNote = verifiedNote
            self.officialScore = officialScore
            self.notApplicable = notApplicable
            self.status = status
            self.revision = revision
            self.planEffort = planEffort
            self.updatedAt = updatedAt
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, status, revision, justification
            case indicatorCode = "indicator_code", leadAgencyID = "lead_agency_id", targetLevel = "target_level"
            case selfLevel = "self_level", verifiedLevel = "verified_level", verifiedNote = "verified_note"
            case officialScore = "official_score", notApplicable = "not_applicable", planEffort = "plan_effort"
            case updatedAt = "updated_at"
        }
    }

    /// Loads the cycle of `year` in `region` (the latest-imported instrument if a year has several).
    static func load(region: Region, year: Int, on db: any Database, library: InstrumentLibrary) async throws -> CycleData? {
        guard let cycle = try await Cycle.query(on: db)
            .filter(\.$region.$id == region.requireID())
            .filter(\.$year == year)
            .first()
        else { return nil }
        return try await load(region: region, cycle: cycle, on: db, library: library)
    }

    static func load(region: Region, cycle: Cycle, on db: any Database, library: InstrumentLibrary) async throws -> CycleData {
        let cycleID = try cycle.requireID()
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let answers = try await RowColumns.all(sql.select().columns(of: Answer.self).from(Assessment.schema)
            .where("cycle_id", .equal, SQLBind(cycleID))).map(Answer.init)
        var contributors: [UUID: [UUID]] = [:]
        for row in try await RowColumns.all(sql.select()
            .column(SQLColumn("assessment_id", table: AssessmentContributor.schema))
            .column(SQLColumn("agency_id", table: AssessmentContributor.schema))
            .from(AssessmentContributor.schema)
            .join(Assessment.schema, on: SQLColumn("assessment_id", table: AssessmentContributor.schema), .equal,
                  SQLColumn("id", table: Assessment.schema))
            .where(SQLColumn("cycle_id", table: Assessment.schema), .equal, SQLBind(cycleID))) {
            contributors[try row.uuid("assessment_id"), default: []].append(try row.uuid("agency_id"))
        }
        let targets = try await CycleGroupTarget.query(on: db).filter(\.$cycle.$id == cycleID).all()
        let official = try await OfficialResult.query(on: db).filter(\.$cycle.$id == cycleID).all()
        return CycleData(
            region: region, cycle: cycle, compiled: try await library.compiled(cycle.$instrumentVersion.id, on: db),
            assessments: Dictionary(answers.map { ($0.indicatorCode, $0) }, uniquingKeysWith: { a, _ in a }),
            contributors: contributors,
            groupTargets: Dictionary(targets.map { ($0.groupCode, $0.target) }, uniquingKeysWith: { a, _ in a }),
            officialResults: official, ownerIDs: owners(answers, contributors))
    }

    /// The region's current cycle: the latest one not closed, else the latest.
    static func current(region: Region, on db: any Database) async throws -> Cycle? {
        current(of: try await Cycle.query(on: db).filter(\.$region.$id == region.requireID()).sort(\.$year, .descending).all())
    }

    /// The rule itself, over cycles newest first.
    static func current(of cycles: [Cycle]) -> Cycle? {
        cycles.first { $0.status != .closed } ?? cycles.first
    }

    /// Who owns each assessment: the lead agency and the contributors, as agency ids.
    func owners() -> [UUID: Set<String>] { ownerIDs }

    private static func owners(_ answers: [Answer], _ contributors: [UUID: [UUID]]) -> [UUID: Set<String>] {
        var owners: [UUID: Set<String>] = [:]
        for a in answers {
            var set = Set((contributors[a.id] ?? []).map(\.uuidString))
            if let lead = a.leadAgencyID { set.insert(lead.uuidString) }
            owners[a.id] = set
        }
        return owners
    }

    /// One layer's values, in indicator-slot order.
    func values(_ layer: ScoreLayer) -> [LevelValue] {
        compiled.indicatorCodes.map { code in
            guard let a = assessments[code] else { return .missing }
            if a.notApplicable { return .notApplicable }
            let value: Double?
            switch layer {
            case .target: value = a.targetLevel
            case .self: value = a.selfLevel
            case .verified: value = a.verifiedLevel
            case .official: value = a.officialScore
            }
            return value.map(LevelValue.score) ?? .missing
        }
    }

    func report(_ layer: ScoreLayer) -> ScoreReport {
        ScoreReport(compiled, values: values(layer), layer: layer.rawValue, target: cycle.targetIndex,
                    groupTargets: groupTargets)
    }

    /// The official index from the ministry's letter, if entered.
    var letterIndex: Double? {
        officialResults.first { $0.scope == .index }?.score
    }
}

extension CycleData {
    /// The cycle's assessments with at least one piece of evidence not expired on the evaluation
    /// date (any evidence when the date is not set or `anyDate`), as distinct ids from the database.
    static func evidenced(_ db: any Database, cycle: Cycle, anyDate: Bool = false) async throws -> Set<UUID> {
        guard let sql = db as? any SQLDatabase else { return [] }
        // Per answer "is there one?", which stops at the first piece found, instead of every link
        // of the cycle made distinct (20,000 links at scale 10: 85 ms against 3 ms on SQLite).
        let valid: SQLQueryString = if !anyDate, let date = cycle.evaluationDate {
            "AND (e.expires_on IS NULL OR e.expires_on >= \(bind: date))"
        } else { "" }
        let rows = try await sql.raw("""
            SELECT a.id AS assessment_id FROM assessments a
            WHERE a.cycle_id = \(bind: try cycle.requireID())
              AND EXISTS (SELECT 1 FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id
                          WHERE l.assessment_id = a.id \(valid))
            """).all()
        return Set(try rows.map { try $0.decode(column: "assessment_id", as: UUID.self) })
    }

    /// Every evidence link of a cycle joined to its evidence, as a column select with
    /// `evidence_links.assessment_id`: callers add the columns they read (the assessment export, the
    /// evidence bundle). Tens of thousands of links on a large region, so no models are built.
    static func evidenceLinks(_ sql: any SQLDatabase, cycle cycleID: UUID) -> SQLSelectBuilder {
        sql.select()
            .column(SQLColumn("assessment_id", table: "evidence_links"))
            .from("evidence_links")
            .join("evidence", on: SQLColumn("evidence_id", table: "evidence_links"), .equal, SQLColumn("id", table: "evidence"))
            .join("assessments", on: SQLColumn("assessment_id", table: "evidence_links"), .equal, SQLColumn("id", table: "assessments"))
            .where(SQLColumn("cycle_id", table: "assessments"), .equal, SQLBind(cycleID))
    }

    /// The cycle's data for pages that only read it: loaded once per region generation (see
    /// `Generation`) and shared by every request until a write transaction of the region commits.
    /// Nothing may change the models it holds; pages that write load their own with `load`.
    static func read(_ req: Request, region: Region, cycle: Cycle) async throws -> CycleData {
        let regionID = try region.requireID()
        let generation = try await Generation.current(req, region: regionID)
        let id = try cycle.requireID()
        return try await req.application.cycleDataCache.value(region: regionID, id, generation: generation, on: req.eventLoop) {
            try await load(region: region, cycle: cycle, on: req.db, library: req.application.instruments)
        }
    }

    static func read(_ req: Request, region: Region, year: Int) async throws -> CycleData? {
        guard let cycle = try await cycles(req, region: region).year(year) else { return nil }
        return try await read(req, region: region, cycle: cycle)
    }

    /// A region's cycles, newest first, with their self-assessment deadlines.
    struct RegionCycles: Sendable {
        let cycles: [Cycle]
        let deadlines: [UUID: String]

        var current: Cycle? { CycleData.current(of: cycles) }

        func year(_ year: Int) -> Cycle? { cycles.first { $0.year == year } }

        func deadline(_ cycle: Cycle) -> String? { cycle.id.flatMap { deadlines[$0] } }
    }

    /// The region's cycles for pages that only read them: two statements once per region
    /// generation, shared by every request until a write transaction of the region commits
    /// (nothing may change the models; pages that write load their own).
    static func cycles(_ req: Request, region: Region) async throws -> RegionCycles {
        let regionID = try region.requireID()
        let generation = try await Generation.current(req, region: regionID)
        return try await req.application.regionCyclesCache.value(region: regionID, regionID, generation: generation, on: req.eventLoop) {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            let cycles = try await Cycle.query(on: req.db).filter(\.$region.$id == regionID).sort(\.$year, .descending).all()
            let rows = try await sql.raw("""
                SELECT s.cycle_id, s.ends_on FROM cycle_stages s JOIN cycles c ON c.id = s.cycle_id
                WHERE c.region_id = \(bind: regionID) AND s.kind = 'self_assessment' AND s.ends_on IS NOT NULL
                """).all()
            var deadlines: [UUID: String] = [:]
            for row in rows {
                deadlines[try row.decode(column: "cycle_id", as: UUID.self)] = try row.decode(column: "ends_on", as: String.self)
            }
            return RegionCycles(cycles: cycles, deadlines: deadlines)
        }
    }
}

extension Assessment {
    /// The stored answer as the plain row `CycleData` holds.
    var answer: CycleData.Answer {
        get throws {
            CycleData.Answer(id: try requireID(), indicatorCode: indicatorCode, leadAgencyID: $leadAgency.id, targetLevel: targetLevel,
                             selfLevel: selfLevel, justification: justification, verifiedLevel: verifiedLevel,
                             verifiedNote: verifiedNote, officialScore: officialScore, notApplicable: notApplicable,
                             status: status, revision: revision, planEffort: planEffort, updatedAt: updatedAt)
        }
    }
}
