import Fluent
import Foundation
import PilarCore
import Vapor

/// One indicator of one cycle with everything its page, its API and its permission checks need:
/// the cycle, its compiled instrument (kept in memory), and this indicator's one answer row and
/// agencies — a fixed handful of queries whatever the size of the region.
struct IndicatorRecord {
    let region: Region
    let cycle: Cycle
    let compiled: CompiledInstrument
    let node: InstrumentNode
    let ancestors: [InstrumentNode]
    /// The stored answer (created on first save when the cycle has none yet).
    let assessment: Assessment?
    let lead: Agency?
    let contributors: [Agency]

    var status: AssessmentStatus { assessment?.status ?? .notStarted }

    /// The whole levels of the instrument's scale.
    var levels: [Int] { compiled.instrument.scale.wholeLevels }

    /// For the permission table: the region, the owning agencies, whether it was submitted.
    var resource: AccessPolicy.Resource {
        var agencies = Set(contributors.compactMap { $0.id?.uuidString })
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
        guard let cycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID()).filter(\.$year == year).first()
        else { throw Abort(.notFound) }
        let compiled = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db)
        guard let (node, ancestors) = compiled.instrument.find(code), node.isIndicator else { throw Abort(.notFound) }
        let assessment = try await Assessment.query(on: req.db).filter(\.$cycle.$id == cycle.requireID())
            .filter(\.$indicatorCode == code).first()
        var lead: Agency?
        var contributors: [Agency] = []
        if let assessment {
            let contributing = try await AssessmentContributor.query(on: req.db)
                .filter(\.$assessment.$id == assessment.requireID()).all().map(\.$agency.id)
            let ids = contributing + [assessment.$leadAgency.id].compactMap { $0 }
            let agencies = ids.isEmpty ? [] : try await Agency.query(on: req.db).filter(\.$id ~~ ids).sort(\.$code).all()
            lead = agencies.first { $0.id == assessment.$leadAgency.id }
            contributors = agencies.filter { a in contributing.contains { $0 == a.id } }
        }
        return IndicatorRecord(region: region, cycle: cycle, compiled: compiled, node: node, ancestors: ancestors,
                               assessment: assessment, lead: lead, contributors: contributors)
    }
}
