import Fluent
import Foundation
import PilarCore

/// Starting a cycle from last year's: who answers each indicator, the target levels, the group
/// targets, and the evidence still valid on the new evaluation date — so a city does not start
/// from nothing each year. Only indicators whose code exists in the new cycle's instrument are copied.
enum CycleCopy {
    struct Options {
        var assignments: Bool
        var targets: Bool
        var evidence: Bool
    }

    struct Outcome: Equatable {
        var assignments = 0
        var targets = 0
        var evidence = 0
        /// Codes of last year's indicators that the new instrument does not have.
        var skipped: [String] = []
    }

    /// Copies into `to` (freshly created, no assessments yet) inside the caller's transaction.
    /// Evidence is linked, not duplicated: a document is stored once and backs both years.
    static func copy(
        from source: Cycle, to target: Cycle, codes: Set<String>, options: Options, validOn: String, on db: any Database
    ) async throws -> Outcome {
        var outcome = Outcome()
        let sourceID = try source.requireID(), targetID = try target.requireID()
        let previous = try await Assessment.query(on: db).filter(\.$cycle.$id == sourceID).sort(\.$indicatorCode).all()
        let previousIDs = previous.compactMap(\.id)
        let contributors = previousIDs.isEmpty ? [] : try await AssessmentContributor.query(on: db)
            .filter(\.$assessment.$id ~~ previousIDs).all()
        let links = previousIDs.isEmpty || !options.evidence ? [] : try await EvidenceLink.query(on: db)
            .filter(\.$assessment.$id ~~ previousIDs).with(\.$evidence).all()
        for old in previous {
            guard codes.contains(old.indicatorCode) else {
                outcome.skipped.append(old.indicatorCode)
                continue
            }
            let oldID = try old.requireID()
            let stillValid = links.filter { $0.$assessment.id == oldID && ($0.evidence.expiresOn.map { $0 >= validOn } ?? true) }
            let hasAssignment = old.$leadAgency.id != nil || contributors.contains { $0.$assessment.id == oldID }
            let copiesAssignment = options.assignments && hasAssignment
            let copiesTarget = options.targets && old.targetLevel != nil
            guard copiesAssignment || copiesTarget || !stillValid.isEmpty else { continue }
            let fresh = Assessment(cycleID: targetID, indicatorCode: old.indicatorCode,
                                   leadAgencyID: copiesAssignment ? old.$leadAgency.id : nil)
            if copiesTarget {
                fresh.targetLevel = old.targetLevel
                outcome.targets += 1
            }
            try await fresh.create(on: db)
            let freshID = try fresh.requireID()
            if copiesAssignment {
                outcome.assignments += 1
                for c in contributors where c.$assessment.id == oldID {
                    try await AssessmentContributor(assessmentID: freshID, agencyID: c.$agency.id).create(on: db)
                }
            }
            for link in stillValid {
                let copy = EvidenceLink(evidenceID: link.$evidence.id, assessmentID: freshID)
                copy.supportsLevel = link.supportsLevel
                try await copy.create(on: db)
                outcome.evidence += 1
            }
        }
        if options.targets {
            for t in try await CycleGroupTarget.query(on: db).filter(\.$cycle.$id == sourceID).all() {
                try await CycleGroupTarget(cycleID: targetID, groupCode: t.groupCode, target: t.target).create(on: db)
            }
        }
        return outcome
    }
}
