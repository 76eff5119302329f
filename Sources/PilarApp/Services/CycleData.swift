import Fluent
import Foundation
import SQLKit
import PilarCore
import Vapor

/// A cycle with everything needed to score it: its instrument and every indicator's values.
struct CycleData {
    let region: Region
    let cycle: Cycle
    let version: InstrumentVersion
    let compiled: CompiledInstrument
    let assessments: [String: Assessment]
    let groupTargets: [String: Double]
    let officialResults: [OfficialResult]

    /// Loads the cycle of `year` in `region` (the latest-imported instrument if a year has several).
    static func load(region: Region, year: Int, on db: any Database, library: InstrumentLibrary) async throws -> CycleData? {
        guard let cycle = try await Cycle.query(on: db)
            .filter(\.$region.$id == region.requireID())
            .filter(\.$year == year)
            .with(\.$instrumentVersion)
            .first()
        else { return nil }
        return try await load(region: region, cycle: cycle, on: db, library: library)
    }

    static func load(region: Region, cycle: Cycle, on db: any Database, library: InstrumentLibrary) async throws -> CycleData {
        let cycleID = try cycle.requireID()
        let version: InstrumentVersion
        if let loaded = cycle.$instrumentVersion.value {
            version = loaded
        } else {
            version = try await cycle.$instrumentVersion.get(on: db)
        }
        let assessments = try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID).all()
        let targets = try await CycleGroupTarget.query(on: db).filter(\.$cycle.$id == cycleID).all()
        let official = try await OfficialResult.query(on: db).filter(\.$cycle.$id == cycleID).all()
        return CycleData(
            region: region, cycle: cycle, version: version, compiled: try library.compiled(version),
            assessments: Dictionary(assessments.map { ($0.indicatorCode, $0) }, uniquingKeysWith: { a, _ in a }),
            groupTargets: Dictionary(targets.map { ($0.groupCode, $0.target) }, uniquingKeysWith: { a, _ in a }),
            officialResults: official)
    }

    /// The region's current cycle: the latest one not closed, else the latest.
    static func current(region: Region, on db: any Database) async throws -> Cycle? {
        let cycles = try await Cycle.query(on: db).filter(\.$region.$id == region.requireID())
            .sort(\.$year, .descending).with(\.$instrumentVersion).all()
        return cycles.first { $0.status != .closed } ?? cycles.first
    }

    /// Who owns each assessment: the lead agency and the contributors, as agency ids.
    func owners(on db: any Database) async throws -> [UUID: Set<String>] {
        let ids = assessments.values.compactMap(\.id)
        var owners: [UUID: Set<String>] = [:]
        for a in assessments.values {
            guard let id = a.id else { continue }
            owners[id] = a.$leadAgency.id.map { [$0.uuidString] } ?? []
        }
        guard !ids.isEmpty else { return owners }
        for c in try await AssessmentContributor.query(on: db).filter(\.$assessment.$id ~~ ids).all() {
            owners[c.$assessment.id, default: []].insert(c.$agency.id.uuidString)
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
        var query = EvidenceLink.query(on: db)
            .join(Evidence.self, on: \EvidenceLink.$evidence.$id == \Evidence.$id)
            .join(Assessment.self, on: \EvidenceLink.$assessment.$id == \Assessment.$id)
            .filter(Assessment.self, \.$cycle.$id == (try cycle.requireID()))
        if !anyDate, let date = cycle.evaluationDate {
            query = query.group(.or) { $0.filter(Evidence.self, \.$expiresOn == nil).filter(Evidence.self, \.$expiresOn >= date) }
        }
        return Set(try await query.field(\.$assessment.$id).unique().all().map(\.$assessment.id))
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

    /// The cycle's data for pages that only read it: loaded once per generation (see
    /// `Generation`) and shared by every request until a write transaction commits. Nothing may
    /// change the models it holds; pages that write load their own with `load`.
    static func read(_ req: Request, region: Region, cycle: Cycle) async throws -> CycleData {
        let generation = try await Generation.current(req.db)
        let id = try cycle.requireID()
        if let hit = req.application.cycleDataCache.get(id, generation: generation) { return hit }
        let data = try await load(region: region, cycle: cycle, on: req.db, library: req.application.instruments)
        req.application.cycleDataCache.put(id, generation: generation, data)
        return data
    }

    static func read(_ req: Request, region: Region, year: Int) async throws -> CycleData? {
        guard let cycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .filter(\.$year == year).with(\.$instrumentVersion).first() else { return nil }
        return try await read(req, region: region, cycle: cycle)
    }
}
