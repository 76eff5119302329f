import Fluent
import Foundation
import PilarCore
import Vapor

/// Who may read a piece of evidence: anyone who may read one of the indicators it backs, its own
/// agency, and the readers of the programme, KPI figure or recommendation it documents. Another
/// region's evidence is never readable.
enum EvidenceAccess {
    static func canRead(_ req: Request, _ evidence: Evidence) async throws -> Bool {
        let actor = try req.actor()
        guard evidence.$region.id.uuidString == actor.regionID else { return false }
        if let own = evidence.$agency.id?.uuidString, own == actor.agencyID,
           AccessPolicy.allows(actor, .editSelfAssessment) {
            return true
        }
        // Those who read every indicator of the region read every document too (also one that backs
        // a KPI figure or a follow-up rather than an indicator).
        if AccessPolicy.scope(actor.role, .readIndicator) == .region { return true }
        // A programme's document or a KPI figure's evidence is read with the programme; a
        // recommendation's follow-up document with the recommendations (the pages link them).
        let id = try evidence.requireID()
        if AccessPolicy.scope(actor.role, .readProgrammes) == .region {
            if try await ProgrammeDocument.query(on: req.db).filter(\.$evidence.$id == id).first() != nil { return true }
            if try await KPIRealisation.query(on: req.db).filter(\.$evidenceID == id).first() != nil { return true }
        }
        if AccessPolicy.scope(actor.role, .readRecommendations) == .region,
           try await Recommendation.query(on: req.db).filter(\.$evidenceID == id).first() != nil { return true }
        let links = try await EvidenceLink.query(on: req.db).filter(\.$evidence.$id == evidence.requireID()).all()
        for link in links {
            guard let a = try await Assessment.find(link.$assessment.id, on: req.db) else { continue }
            var owners = Set<String>()
            if let lead = a.$leadAgency.id { owners.insert(lead.uuidString) }
            for c in try await AssessmentContributor.query(on: req.db).filter(\.$assessment.$id == a.requireID()).all() {
                owners.insert(c.$agency.id.uuidString)
            }
            let resource = AccessPolicy.Resource(regionID: evidence.$region.id.uuidString, agencyIDs: owners,
                                                 submitted: a.status.isSubmitted)
            if AccessPolicy.allows(actor, .readIndicator, on: resource) { return true }
        }
        return false
    }
}
