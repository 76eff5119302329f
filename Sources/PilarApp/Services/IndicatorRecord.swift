import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// One indicator of one cycle with everything its page, its API and its permission checks need:
/// the cycle, its compiled instrument (kept in memory), and this indicator's one answer row and
/// agencies — a fixed handful of queries whatever the size of the region.
struct IndicatorRecord {
    let region: Region
    /// Shared with other requests (`CycleData.cycles`): read it, never change it.
    let cycle: Cycle
    let compiled: CompiledInstrument
    let node: InstrumentNode
    let ancestors: [InstrumentNode]
    /// The stored answer as a plain row (created on first save when the cycle has none yet).
    let assessment: CycleData.Answer?
    let lead: Owner?
    let contributors: [Owner]
    /// The last day of the cycle's self-assessment stage (`YYYY-MM-DD`), when set.
    let deadline: String?

    /// An agency that owns the indicator, as the page and the permission checks name it.
    struct Owner: Sendable {
        var id: UUID
        var code: String
        var name: String
    }

    var status: AssessmentStatus { assessment?.status ?? .notStarted }

    /// The whole levels of the instrument's scale.
    var levels: [Int] { compiled.instrument.scale.wholeLevels }

    /// For the permission table: the region, the owning agencies, whether it was submitted.
    var resource: AccessPolicy.Resource {
        var agencies = Set(contributors.map(\.id.uuidString))
        if let lead = lead?.id { agencies.insert(lead.uuidString) }
        return AccessPolicy.Resource(regionID: region.id?.uuidString ?? "", agencyIDs: agencies,
                                    submitted: status.isSubmitted)
    }

    /// Whether `actor` may see the self-assessed level and justification (assessors only once submitted).
    func showsSelf(to actor: AccessPolicy.Actor) -> Bool {
        AccessPolicy.allows(actor, .readSelfLayer) || status.isSubmitted
    }

    /// Loads `code` of the signed-in user's region's cycle `year`, or 404.
    static func load(_ req: Request, year: Int, code: String) async throws -> IndicatorRecord {
        let region = try await req.currentRegion()
        let cycles = try await CycleData.cycles(req, region: region)
        guard let cycle = cycles.year(year) else { throw Abort(.notFound) }
        let compiled = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db)
        guard let (node, ancestors) = compiled.instrument.find(code), node.isIndicator else { throw Abort(.notFound) }
        // The answer and its agencies, the same for every reader: read once per region generation.
        let regionID = try region.requireID()
        let cycleID = try cycle.requireID()
        let generation = try await Generation.current(req, region: regionID)
        let answered = try await req.application.answerCache.value(region: regionID, "\(cycleID)|\(code)", generation: generation,
                                                                  on: req.eventLoop) {
            try await Answered.read(req.db, cycleID: cycleID, code: code)
        }
        let (assessment, lead, contributors) = (answered.answer, answered.lead, answered.contributors)
        return IndicatorRecord(region: region, cycle: cycle, compiled: compiled, node: node, ancestors: ancestors,
                               assessment: assessment, lead: lead, contributors: contributors,
                               deadline: cycles.deadline(cycle))
    }
}

extension IndicatorRecord {
    /// One indicator's stored answer with its lead and contributing agencies.
    struct Answered: Sendable {
        var answer: CycleData.Answer?
        var lead: Owner?
        var contributors: [Owner]

        static func read(_ db: any Database, cycleID: UUID, code: String) async throws -> Answered {
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            let assessment = try await sql.raw("""
                SELECT \(unsafeRaw: CycleData.Answer.selectList()) FROM assessments
                WHERE cycle_id = \(bind: cycleID) AND indicator_code = \(bind: code) LIMIT 1
                """).first(decoding: CycleData.Answer.self)
            var lead: Owner?
            var contributors: [Owner] = []
            if let assessment {
                let id = assessment.id
                // The lead and the contributors in one statement.
                let rows = try await sql.raw("""
                    SELECT a.id, a.code, a.name,
                      CASE WHEN EXISTS (SELECT 1 FROM assessment_contributors c WHERE c.assessment_id = \(bind: id) AND c.agency_id = a.id)
                        THEN 1 ELSE 0 END AS contributes
                    FROM agencies a
                    WHERE a.id = \(bind: assessment.leadAgencyID)
                      OR a.id IN (SELECT agency_id FROM assessment_contributors WHERE assessment_id = \(bind: id))
                    ORDER BY a.code
                    """).all()
                for row in rows {
                    let owner = Owner(id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                                      name: try row.decode(column: "name", as: String.self))
                    if owner.id == assessment.leadAgencyID { lead = owner }
                    if try row.decode(column: "contributes", as: Int.self) == 1 { contributors.append(owner) }
                }
            }
            return Answered(answer: assessment, lead: lead, contributors: contributors)
        }
    }
}
