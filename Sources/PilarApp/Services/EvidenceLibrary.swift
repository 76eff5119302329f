import Fluent
import Foundation
import Vapor

/// A document backing a figure or a follow-up: its title and where to open it.
struct EvidenceRef: Encodable {
    var title: String
    var href: String

    init(title: String, href: String) {
        self.title = title
        self.href = href
    }

    /// A file opens through Pilar's download route, a link at its address; a record without an id has no reference.
    init?(_ e: Evidence) {
        guard let id = e.id else { return nil }
        title = e.title
        href = e.kind == "file" ? SiteURL.evidenceFile(id: id).path : (e.url ?? "")
    }
}

/// An agency's documents, for the "backed by" selects of KPI figures and recommendations.
enum EvidenceLibrary {
    /// The agency's documents, newest first (at most 200).
    static func of(_ req: Request, region: Region, agency: UUID?) async throws -> [Evidence] {
        guard let agency else { return [] }
        return try await Evidence.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
            .filter(\.$agency.$id == agency).sort(\.$createdAt, .descending).limit(200).all()
    }

    /// The documents as choices, after a "none" choice.
    static func options(_ documents: [Evidence], none: String) -> [Setup.Option] {
        [Setup.Option(value: "", label: none, selected: true)]
            + documents.compactMap { d in d.id.map { Setup.Option(value: $0.uuidString, label: d.title, selected: false) } }
    }
}
