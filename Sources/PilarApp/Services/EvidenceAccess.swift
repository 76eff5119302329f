import Fluent
import Foundation
import PilarCore
import Vapor

/// Who may read a piece of evidence: anyone who may read one of the indicators it backs, and its
/// own agency. Another region's evidence is never readable.
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
        let links = try await EvidenceLink.query(on: req.db).filter(\.$evidence.$id == evidence.requireID()).all()
        for link in links {
            guard let a = try await Assessment.find(link.$assessment.id, on: req.db) else { continue }
            var owners = Set<String>()
            if let lead = a.$leadAgency.id { owners.insert(lead.uuidString) }
            for c in try await AssessmentContributor.query(on: req.db).filter(\.$assessment.$id == a.requireID()).all() {
                owners.insert(c.$agency.id.uuidString)
            }
            let resource = AccessPolicy.Resource(regionID: evidence.$region.id.uuidString, agencyIDs: owners,
                                                 submitted: a.statusValue.isSubmitted)
            if AccessPolicy.allows(actor, .readIndicator, on: resource) { return true }
        }
        return false
    }
}
