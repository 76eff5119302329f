import Fluent
import Foundation

/// An agency that contributes to (but does not lead) an indicator's answer.
final class AssessmentContributor: Model, @unchecked Sendable {
    static let schema = "assessment_contributors"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: Assessment
    @Parent(key: "agency_id") var agency: Agency

    init() {}

    init(assessmentID: UUID, agencyID: UUID) {
        self.$assessment.id = assessmentID
        self.$agency.id = agencyID
    }
}
