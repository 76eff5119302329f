import Fluent
import Foundation

/// Evidence attached to one indicator of one cycle.
final class EvidenceLink: Model, @unchecked Sendable {
    static let schema = "evidence_links"

    @ID(key: .id) var id: UUID?
    @Parent(key: "evidence_id") var evidence: Evidence
    @Parent(key: "assessment_id") var assessment: Assessment
    /// The highest rubric level this document shows for this indicator, when the uploader said so.
    @OptionalField(key: "supports_level") var supportsLevel: Double?

    init() {}

    init(evidenceID: UUID, assessmentID: UUID) {
        self.$evidence.id = evidenceID
        self.$assessment.id = assessmentID
    }
}
