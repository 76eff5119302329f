import Fluent
import Foundation
import PilarCore
import Vapor

/// The evidence attached to an indicator, as the indicator page and the API show it.
enum EvidenceList {
    struct Item {
        var evidence: Evidence
        var link: EvidenceLink
        var version: EvidenceVersion?
    }

    static func items(for record: IndicatorRecord, on db: any Database) async throws -> [Item] {
        guard let assessmentID = record.assessment?.id else { return [] }
        let links = try await EvidenceLink.query(on: db).filter(\.$assessment.$id == assessmentID).all()
        let ids = links.map(\.$evidence.id)
        guard !ids.isEmpty else { return [] }
        let evidence = try await Evidence.query(on: db).filter(\.$id ~~ ids).sort(\.$createdAt).all()
        let versionIDs = evidence.compactMap(\.currentVersionID)
        let versions = versionIDs.isEmpty ? [] : try await EvidenceVersion.query(on: db).filter(\.$id ~~ versionIDs).all()
        return evidence.compactMap { e in
            guard let link = links.first(where: { $0.$evidence.id == e.id }) else { return nil }
            return Item(evidence: e, link: link, version: versions.first { $0.id == e.currentVersionID })
        }
    }

    /// Whether `evidence` expires before the cycle's evaluation date (`YYYY-MM-DD` compare).
    static func expiresBeforeEvaluation(_ evidence: Evidence, _ evaluation: String?) -> Bool {
        EvidenceValidity.lapsesBeforeEvaluation(expiresOn: evidence.expiresOn, evaluation: evaluation)
    }

    /// The highest level the attached evidence is said to support, when any piece says.
    static func supportedLevel(_ items: [Item]) -> Double? {
        items.compactMap(\.link.supportsLevel).max()
    }

    /// `actor`: who looks; a file's new-version form is offered only when `EvidenceRules` allows it
    /// (its own agency or the coordinator, every indicator it backs open), else the reason is shown.
    static func rows(for record: IndicatorRecord, items: [Item], on db: any Database, t: Catalog.Strings, zone: TimeZone,
                     today: String, canChange: Bool, actor: AccessPolicy.Actor?) async throws -> [IndicatorPage.EvidenceRow]
    {
        let evaluation = record.cycle.evaluationDate
        let ids = items.compactMap(\.evidence.id)
        let allVersions = ids.isEmpty ? [] : try await EvidenceVersion.query(on: db).filter(\.$evidence.$id ~~ ids)
            .sort(\.$number, .descending).all()
        let attachedStatuses = canChange ? try await EvidenceAttachments.statuses(of: ids, on: db) : [:]
        let year = record.cycle.year, code = record.node.code
        return items.compactMap { item in
            let e = item.evidence
            guard let id = e.id else { return nil }
            let isFile = e.kind == "file"
            let detail = isFile
                ? [item.version?.originalName, item.version.map { size($0.size) }].compactMap { $0 }.joined(separator: " · ")
                : (e.url ?? "")
            let earlier = allVersions.filter { $0.$evidence.id == e.id && $0.id != e.currentVersionID }.map { v in
                IndicatorPage.VersionRow(number: v.number, name: v.originalName, size: size(v.size),
                                         uploaded: Format.dateTime(v.uploadedAt, zone: zone, t),
                                         href: SiteURL.evidenceVersionFile(id: id, number: v.number).path)
            }
            var versionDecision = EvidenceRules.VersionDecision.notOwner
            if isFile, canChange, let actor {
                versionDecision = EvidenceRules.newVersion(by: actor, evidenceRegionID: e.$region.id.uuidString,
                                                           evidenceAgencyID: e.$agency.id?.uuidString,
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
                expiresBeforeEvaluation: expiresBeforeEvaluation(e, evaluation),
                expired: EvidenceValidity.isExpired(expiresOn: e.expiresOn, today: today),
                note: e.note, added: Format.dateTime(e.createdAt, zone: zone, t),
                supports: item.link.supportsLevel.map(InstrumentText.level),
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
