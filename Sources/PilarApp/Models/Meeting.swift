import Fluent
import Foundation

/// A coordination meeting (rapat koordinasi).
final class Meeting: Model, @unchecked Sendable {
    static let schema = "meetings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @Field(key: "title") var title: String
    /// `YYYY-MM-DD`.
    @Field(key: "held_on") var heldOn: String
    /// `HH:MM`, in the region's time zone.
    @OptionalField(key: "starts_at") var startsAt: String?
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "chair") var chair: String?
    @OptionalField(key: "agenda") var agenda: String?
    @OptionalField(key: "minutes") var minutes: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// An agency invited to (and perhaps present at) a meeting.
final class MeetingAgency: Model, @unchecked Sendable {
    static let schema = "meeting_agencies"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: Meeting
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "invited") var invited: Bool
    @Field(key: "present") var present: Bool
    init() {}
    init(meetingID: UUID, agencyID: UUID, invited: Bool, present: Bool) {
        self.$meeting.id = meetingID
        self.$agency.id = agencyID
        self.invited = invited
        self.present = present
    }
}

/// A decision of a meeting; it can become an action item.
final class MeetingDecision: Model, @unchecked Sendable {
    static let schema = "meeting_decisions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: Meeting
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    init() {}
    init(meetingID: UUID, position: Int, text: String) {
        self.$meeting.id = meetingID
        self.position = position
        self.text = text
    }
}
