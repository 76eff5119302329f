import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// The evidence attached to an indicator, as the indicator page and the API show it: two column
/// selects (the pieces with their links, then their files' versions), whatever the library's size.
enum EvidenceList {
    /// A piece of evidence as the list shows it, with what its link to this indicator says.
    struct Piece: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var regionID: UUID
        var agencyID: UUID?
        var kind: String
        var title: String
        var url: String?
        var documentDate: String?
        var expiresOn: String?
        var note: String?
        var currentVersionID: UUID?
        var createdAt: Date
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, regionID = "region_id", agencyID = "agency_id", kind, title, url, documentDate = "document_date",
                 expiresOn = "expires_on", note, currentVersionID = "current_version_id", createdAt = "created_at"
        }

        var isFile: Bool { kind == "file" }
    }

    /// One version of a file.
    struct Version: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var evidenceID: UUID
        var number: Int
        var sha256: String
        var originalName: String
        var contentType: String
        var size: Int64
        var uploadedAt: Date
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, evidenceID = "evidence_id", number, sha256, originalName = "original_name",
                 contentType = "content_type", size, uploadedAt = "uploaded_at"
        }
    }

    struct Item: Sendable {
        var evidence: Piece
        /// The level the link says this piece supports.
        var supportsLevel: Double?
        /// The file's current version.
        var version: Version?
        /// The file's other versions, newest first.
        var earlier: [Version]
    }

    static func items(for record: IndicatorRecord, on db: any Database) async throws -> [Item] {
        guard let assessmentID = record.assessment?.id else { return [] }
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Piece.selectList("e")), l.supports_level FROM evidence e
            JOIN evidence_links l ON l.evidence_id = e.id
            WHERE l.assessment_id = \(bind: assessmentID) ORDER BY e.created_at
            """).all()
        let pieces = try rows.map { row in
            (try row.decode(model: Piece.self), try row.decode(column: "supports_level", as: Double?.self))
        }
        let files = pieces.filter { $0.0.isFile }.map(\.0.id)
        let versions = files.isEmpty ? [] : try await sql.raw("""
            SELECT \(unsafeRaw: Version.selectList()) FROM evidence_versions
            WHERE evidence_id IN (\(binds: files)) ORDER BY number DESC
            """).all(decoding: Version.self)
        let byEvidence = Dictionary(grouping: versions, by: \.evidenceID)
        return pieces.map { piece, supports in
            let all = byEvidence[piece.id] ?? []
            return Item(evidence: piece, supportsLevel: supports, version: all.first { $0.id == piece.currentVersionID },
                        earlier: all.filter { $0.id != piece.currentVersionID })
        }
    }

    /// Whether evidence valid until `expiresOn` expires before the cycle's evaluation date (`YYYY-MM-DD` compare).
    static func expiresBeforeEvaluation(_ expiresOn: String?, _ evaluation: String?) -> Bool {
        EvidenceValidity.lapsesBeforeEvaluation(expiresOn: expiresOn, evaluation: evaluation)
    }

    /// The highest level the attached evidence is said to support, when any piece says.
    static func supportedLevel(_ items: [Item]) -> Double? {
        items.compactMap(\.supportsLevel).max()
    }

    /// `actor`: who looks; a file's new-version form is offered only when `EvidenceRules` allows it
    /// (its own agency or the coordinator, every indicator it backs open), else the reason is shown.
    /// `attachedStatuses`: the states of the indicators each piece backs (`EvidenceAttachments.statuses`).
    static func rows(for record: IndicatorRecord, items: [Item], attachedStatuses: [UUID: [AssessmentStatus]], t: Catalog.Strings,
                     zone: TimeZone, today: String, canChange: Bool, actor: AccessPolicy.Actor?) -> [IndicatorPage.EvidenceRow]
    {
        let evaluation = record.cycle.evaluationDate
        let year = record.cycle.year, code = record.node.code
        return items.map { item in
            let e = item.evidence, id = e.id
            let isFile = e.isFile
            let detail = isFile
                ? [item.version?.originalName, item.version.map { size($0.size) }].compactMap { $0 }.joined(separator: " · ")
                : (e.url ?? "")
            let earlier = item.earlier.map { v in
                IndicatorPage.VersionRow(number: v.number, name: v.originalName, size: size(v.size),
                                         uploaded: Format.dateTime(v.uploadedAt, zone: zone, t),
                                         href: SiteURL.evidenceVersionFile(id: id, number: v.number).path)
            }
            var versionDecision = EvidenceRules.VersionDecision.notOwner
            if isFile, canChange, let actor {
                versionDecision = EvidenceRules.newVersion(by: actor, evidenceRegionID: e.regionID.uuidString,
                                                           evidenceAgencyID: e.agencyID?.uuidString,
                                                           attachedTo: attachedStatuses[id] ?? [])
            }
            let versionNote: String? = switch versionDecision {
            case .allowed: nil
            case .notOwner: isFile ? t["evidence_version_not_owner"] : nil
            case .locked: t["evidence_version_locked"]
            }
            return IndicatorPage.EvidenceRow(
                id: id.uuidString, title: e.title, isFile: isFile,
                href: isFile ? SiteURL.evidenceFile(id: id).path : (e.url ?? ""),
                detail: detail, documentDate: Format.date(e.documentDate, t), expires: Format.date(e.expiresOn, t),
                expiresBeforeEvaluation: expiresBeforeEvaluation(e.expiresOn, evaluation),
                expired: EvidenceValidity.isExpired(expiresOn: e.expiresOn, today: today),
                note: e.note, added: Format.dateTime(e.createdAt, zone: zone, t),
                supports: item.supportsLevel.map(InstrumentText.level),
                version: item.version?.number, earlier: earlier, canChange: canChange,
                versionAction: versionDecision == .allowed ? SiteURL.evidenceNewVersion(year: year, code: code, id: id).path : nil,
                versionNote: versionNote)
        }
    }

    /// Bytes as a person reads them.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.0f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
