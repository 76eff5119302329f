import Fluent
import Foundation

/// Something an agency has to do, by a date, linked to what it came from.
final class ActionItem: Model, @unchecked Sendable {
    static let schema = "action_items"

    enum Status: String, CaseIterable, Codable, Sendable {
        case open, inProgress = "in_progress", done, cancelled
        var isClosed: Bool { self == .done || self == .cancelled }
        /// The states of an item still to be done (the list's default, the inbox's reminders, the dashboard's overdue count).
        static let stillOpen = allCases.filter { !$0.isClosed }
    }

    enum Priority: String, CaseIterable, Codable, Sendable { case low, normal, high }

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var description: String?
    @Parent(key: "assignee_agency_id") var assignee: Agency
    /// `YYYY-MM-DD`.
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "priority") var priority: Priority
    @Field(key: "status") var status: Status
    @OptionalParent(key: "cycle_id") var cycle: Cycle?
    @OptionalField(key: "indicator_code") var indicatorCode: String?
    @OptionalParent(key: "programme_id") var programme: Programme?
    @OptionalParent(key: "decision_id") var decision: MeetingDecision?
    @OptionalParent(key: "recommendation_id") var recommendation: Recommendation?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_by") var closedBy: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "revision") var revision: Int

    init() {}

    init(regionID: UUID, title: String, description: String?, assigneeID: UUID, dueOn: String?, priority: Priority,
         createdBy: String, at: Date) {
        self.$region.id = regionID
        self.title = title
        self.description = description
        self.$assignee.id = assigneeID
        self.dueOn = dueOn
        self.priority = priority
        self.status = .open
        self.createdBy = createdBy
        self.createdAt = at
        self.revision = 0
    }
}
