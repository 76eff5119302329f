import Fluent
import Foundation
import PilarCore
import SQLKit
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

    struct EvidenceItem: Content {
        var id: UUID
        var title: String
        /// `file` or `link`.
        var kind: String
        var url: String?
        var originalName: String?
        var contentType: String?
        var size: Int64?
        var sha256: String?
        /// The current version's number (files only).
        var version: Int?
        var documentDate: String?
        var expiresOn: String?
        /// Whether it expires before the cycle's evaluation date.
        var expiresBeforeEvaluation: Bool
        var supportsLevel: Double?
        var note: String?
        var download: String?

        enum CodingKeys: String, CodingKey {
            case id, title, kind, url, originalName = "original_name", contentType = "content_type", size, sha256, version,
                documentDate = "document_date", expiresOn = "expires_on",
                expiresBeforeEvaluation = "expires_before_evaluation", supportsLevel = "supports_level", note, download
        }

        /// Every key is written, absent values as `null`.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(kind, forKey: .kind)
            try c.encode(url, forKey: .url)
            try c.encode(originalName, forKey: .originalName)
            try c.encode(contentType, forKey: .contentType)
            try c.encode(size, forKey: .size)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(version, forKey: .version)
            try c.encode(documentDate, forKey: .documentDate)
            try c.encode(expiresOn, forKey: .expiresOn)
            try c.encode(expiresBeforeEvaluation, forKey: .expiresBeforeEvaluation)
            try c.encode(supportsLevel, forKey: .supportsLevel)
            try c.encode(note, forKey: .note)
            try c.encode(download, forKey: .download)
        }
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
        /// Evidence attached to the indicator.
        var evidence: [EvidenceItem]

        enum CodingKeys: String, CodingKey {
            case code, title, group, pillar, leadAgency = "lead_agency", contributors, target, selfLevel = "self",
                verified, official, notApplicable = "not_applicable", status, justification,
                verifiedNote = "verified_note", revision, statusHistory = "status_history", evidence
        }
    }

    /// The same for everyone of the region who sees the same layers: encoded once per region
    /// generation (the permission is checked on every request first).
    @Sendable static func show(_ req: Request) async throws -> Response {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try req.authorize(.readIndicator, on: record.resource)
        let actor = try req.actor()
        let key = "indicator|\(try record.cycle.requireID())|\(code)|\(record.showsSelf(to: actor))|\(actor.role == .assessor)"
        return try await CachedJSON.response(req, region: try record.region.requireID(), key: key) {
            try await detail(req, record: record, actor: actor)
        }
    }

    static func detail(_ req: Request, record: IndicatorRecord, actor: AccessPolicy.Actor) async throws -> Detail {
        let code = record.node.code
        let showSelf = record.showsSelf(to: actor)
        let a = record.assessment
        var history: [StatusChange] = []
        if let cycleID = record.cycle.id {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            history = try await sql.raw("""
                SELECT \(unsafeRaw: IndicatorPage.HistoryEvent.selectList()) FROM audit_events
                WHERE cycle_id = \(bind: cycleID) AND entity = 'assessment' AND entity_key = \(bind: code) AND field = 'status'
                ORDER BY "at"
                """).all(decoding: IndicatorPage.HistoryEvent.self)
                .map { StatusChange(at: $0.at, by: $0.actorName, from: $0.before, to: $0.after) }
            // Assessors read what was submitted, not the drafts before it (as on the page).
            if actor.role == .assessor { history = [] }
        }
        let evaluation = record.cycle.evaluationDate
        let evidence = try await EvidenceList.items(for: record, on: req.db).map { item -> EvidenceItem in
            let e = item.evidence, v = item.version, id = e.id
            return EvidenceItem(
                id: id, title: e.title, kind: e.kind, url: e.kind == "link" ? e.url : nil, originalName: v?.originalName,
                contentType: v?.contentType, size: v?.size, sha256: v?.sha256, version: v?.number,
                documentDate: e.documentDate, expiresOn: e.expiresOn,
                expiresBeforeEvaluation: EvidenceList.expiresBeforeEvaluation(e.expiresOn, evaluation),
                supportsLevel: item.supportsLevel, note: e.note,
                download: e.kind == "file" ? SiteURL.apiEvidenceFile(id: id).path : nil)
        }
        return Detail(
            code: code, title: record.node.title, group: record.ancestors.first?.code ?? "",
            pillar: record.compiled.instrument.pillar(of: code), leadAgency: record.lead?.code,
            contributors: record.contributors.map(\.code), target: a?.targetLevel,
            selfLevel: showSelf ? a?.selfLevel : nil, verified: a?.verifiedLevel, official: a?.officialScore,
            notApplicable: a?.notApplicable ?? false, status: record.status.rawValue,
            justification: showSelf ? a?.justification : nil, verifiedNote: a?.verifiedNote, revision: a?.revision ?? 0,
            statusHistory: history, evidence: evidence)
    }
}
