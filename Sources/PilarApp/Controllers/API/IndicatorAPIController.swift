import Fluent
import Foundation
import PilarCore
import Vapor

/// `GET /api/v1/cycles/{year}/indicators/{code}`: one indicator with its answer, notes and history,
/// under the same permission rules as its page.
enum IndicatorAPIController {
    struct StatusChange: Content {
        var at: Date
        var by: String
        var from: String?
        var to: String?
    }

    struct Detail: Content {
        var code: String
        var title: String
        var group: String
        var pillar: String?
        var leadAgency: String?
        var contributors: [String]
        var target: Double?
        var selfLevel: Double?
        var verified: Double?
        var official: Double?
        var notApplicable: Bool
        var status: String
        var justification: String?
        var verifiedNote: String?
        var revision: Int
        var statusHistory: [StatusChange]
        /// Evidence attached to the indicator (evidence uploads are not built yet: always empty).
        var evidence: [String]

        enum CodingKeys: String, CodingKey {
            case code, title, group, pillar, leadAgency = "lead_agency", contributors, target, selfLevel = "self",
                verified, official, notApplicable = "not_applicable", status, justification,
                verifiedNote = "verified_note", revision, statusHistory = "status_history", evidence
        }
    }

    @Sendable static func show(_ req: Request) async throws -> Detail {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try req.authorize(.readIndicator, on: record.resource)
        let actor = try req.actor()
        let showSelf = record.showsSelf(to: actor)
        let a = record.assessment
        var history: [StatusChange] = []
        if let cycleID = record.data.cycle.id {
            history = try await AuditEvent.query(on: req.db).filter(\.$cycleID == cycleID)
                .filter(\.$entity == "assessment").filter(\.$entityKey == code).filter(\.$field == "status")
                .sort(\.$at).all()
                .map { StatusChange(at: $0.at, by: $0.actorName, from: $0.before, to: $0.after) }
        }
        return Detail(
            code: code, title: record.node.title, group: record.ancestors.first?.code ?? "",
            pillar: record.data.compiled.instrument.pillar(of: code), leadAgency: record.lead?.code,
            contributors: record.contributors.map(\.code), target: a?.targetLevel,
            selfLevel: showSelf ? a?.selfLevel : nil, verified: a?.verifiedLevel, official: a?.officialScore,
            notApplicable: a?.notApplicable ?? false, status: record.status.rawValue,
            justification: showSelf ? a?.justification : nil, verifiedNote: a?.verifiedNote, revision: a?.revision ?? 0,
            statusHistory: history, evidence: [])
    }
}
