import Fluent
import Foundation
import PilarCore
import Vapor

/// One indicator of one cycle with everything its page, its API and its permission checks need.
struct IndicatorRecord {
    let data: CycleData
    let node: InstrumentNode
    let ancestors: [InstrumentNode]
    /// The stored answer (created on first save when the cycle has none yet).
    let assessment: Assessment?
    let lead: Agency?
    let contributors: [Agency]

    var status: AssessmentStatus { assessment?.status ?? .notStarted }

    /// The whole levels of the instrument's scale.
    var levels: [Int] { data.compiled.instrument.scale.wholeLevels }

    /// For the permission table: the region, the owning agencies, whether it was submitted.
    var resource: AccessPolicy.Resource {
        var agencies = Set(contributors.compactMap { $0.id?.uuidString })
        if let lead = lead?.id { agencies.insert(lead.uuidString) }
        return AccessPolicy.Resource(regionID: data.region.id?.uuidString ?? "", agencyIDs: agencies,
                                    submitted: status.isSubmitted)
    }

    /// Whether `actor` may see the self-assessed level and justification (assessors only once submitted).
    func showsSelf(to actor: AccessPolicy.Actor) -> Bool {
        AccessPolicy.allows(actor, .readSelfLayer) || status.isSubmitted
    }

    /// Loads `code` of the signed-in user's region's cycle `year`, or 404.
    static func load(_ req: Request, year: Int, code: String) async throws -> IndicatorRecord {
        let region = try await req.currentRegion()
        guard let data = try await CycleData.load(region: region, year: year, on: req.db, library: req.application.instruments),
              let (node, ancestors) = data.compiled.instrument.find(code), node.isIndicator
        else { throw Abort(.notFound) }
        let assessment = data.assessments[code]
        var lead: Agency?
        var contributors: [Agency] = []
        if let assessment {
            if let leadID = assessment.$leadAgency.id { lead = try await Agency.find(leadID, on: req.db) }
            let ids = try await AssessmentContributor.query(on: req.db)
                .filter(\.$assessment.$id == assessment.requireID()).all().map(\.$agency.id)
            if !ids.isEmpty {
                contributors = try await Agency.query(on: req.db).filter(\.$id ~~ ids).sort(\.$code).all()
            }
        }
        return IndicatorRecord(data: data, node: node, ancestors: ancestors, assessment: assessment, lead: lead,
                               contributors: contributors)
    }
}
