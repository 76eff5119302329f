import Fluent
import Foundation

/// A supporting document (bukti dukung): a file with versions, or a link. One piece of evidence
/// can back several indicators (`EvidenceLink`).
final class Evidence: Model, @unchecked Sendable {
    static let schema = "evidence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    /// The agency that owns it (the uploader's), or none for the coordinator's own.
    @OptionalParent(key: "agency_id") var agency: Agency?
    /// `file` or `link`.
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @OptionalField(key: "url") var url: String?
    /// When the document took effect, `YYYY-MM-DD` (not the upload date).
    @OptionalField(key: "document_date") var documentDate: String?
    @OptionalField(key: "expires_on") var expiresOn: String?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "current_version_id") var currentVersionID: UUID?
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
