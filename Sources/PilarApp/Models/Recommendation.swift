import Fluent
import Foundation

/// From the ministry's result letter of a cycle: a recommendation (to follow up), a strength or a weakness.
final class Recommendation: Model, @unchecked Sendable {
    static let schema = "recommendations"

    enum Kind: String, CaseIterable, Codable, Sendable { case recommendation, strength, weakness }
    enum FollowUp: String, CaseIterable, Codable, Sendable { case open, inProgress = "in_progress", done }

    @ID(key: .id) var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Field(key: "kind") var kind: Kind
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    @OptionalParent(key: "agency_id") var agency: Agency?
    @Field(key: "follow_up_status") var followUpStatus: FollowUp
    @OptionalField(key: "follow_up_note") var followUpNote: String?
    @OptionalField(key: "evidence_id") var evidenceID: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    init(cycleID: UUID, kind: Kind, position: Int, text: String, agencyID: UUID?) {
        self.$cycle.id = cycleID
        self.kind = kind
        self.position = position
        self.text = text
        self.$agency.id = agencyID
        self.followUpStatus = .open
    }
}
