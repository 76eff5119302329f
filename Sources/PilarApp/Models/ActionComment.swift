import Fluent
import Foundation

/// A comment on an action item.
final class ActionComment: Model, @unchecked Sendable {
    static let schema = "action_comments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "action_item_id") var item: ActionItem
    @Field(key: "author") var author: String
    @Field(key: "body") var body: String
    @Field(key: "at") var at: Date
    init() {}
    init(itemID: UUID, author: String, body: String, at: Date) {
        self.$item.id = itemID
        self.author = author
        self.body = body
        self.at = at
    }
}
