import Fluent
import Foundation

/// One uploaded file of a piece of evidence. Files are stored once per SHA-256 in the data folder.
final class EvidenceVersion: Model, @unchecked Sendable {
    static let schema = "evidence_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "evidence_id") var evidence: Evidence
    @Field(key: "number") var number: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "original_name") var originalName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int64
    @Field(key: "uploaded_by") var uploadedBy: UUID
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}
