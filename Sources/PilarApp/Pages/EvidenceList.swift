import Fluent
import Foundation
import PilarCore
import Vapor

/// The evidence attached to an indicator, as the indicator page and the API show it.
enum EvidenceList {
    struct Item {
        var evidence: Evidence
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
        return evidence.map { e in Item(evidence: e, version: versions.first { $0.id == e.currentVersionID }) }
    }

    static func rows(for record: IndicatorRecord, on db: any Database, t: Catalog.Strings, zone: TimeZone) async throws
        -> [IndicatorPage.EvidenceRow]
    {
        let evaluation = record.data.cycle.evaluationDate
        return try await items(for: record, on: db).map { item in
            let e = item.evidence
            let isFile = e.kind == "file"
            let detail = isFile
                ? [item.version?.originalName, item.version.map { size($0.size) }].compactMap { $0 }.joined(separator: " · ")
                : (e.url ?? "")
            return IndicatorPage.EvidenceRow(
                title: e.title, isFile: isFile,
                href: isFile ? SiteURL.evidenceFile(id: e.id ?? UUID()).path : (e.url ?? ""),
                detail: detail, documentDate: Format.date(e.documentDate, t), expires: Format.date(e.expiresOn, t),
                expiresBeforeEvaluation: e.expiresOn.flatMap { exp in evaluation.map { exp < $0 } } ?? false,
                note: e.note, added: Format.dateTime(e.createdAt, zone: zone, t))
        }
    }

    /// Bytes as a person reads them.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.0f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
