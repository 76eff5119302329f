import Fluent
import Foundation

/// One entry of a user's inbox: an assignment, a returned answer, an item due soon or overdue.
final class Notification: Model, @unchecked Sendable {
    static let schema = "notifications"

    enum Kind: String, CaseIterable, Codable, Sendable { case assigned, returned, dueSoon = "due_soon", overdue, comment }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "kind") var kind: Kind
    @Field(key: "subject_key") var subjectKey: String
    @Field(key: "title") var title: String
    @Field(key: "link") var link: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    init() {}
    init(userID: UUID, kind: Kind, subjectKey: String, title: String, link: String, at: Date) {
        self.$user.id = userID
        self.kind = kind
        self.subjectKey = subjectKey
        self.title = title
        self.link = link
        self.createdAt = at
    }
}
