import Fluent
import Foundation

/// A browser session, kept in the database so several `pilar` processes can serve one user.
final class StoredSession: Model, @unchecked Sendable {
    static let schema = "pilar_sessions"

    @ID(key: .id) var id: UUID?
    /// The random id in the cookie.
    @Field(key: "key") var key: String
    /// The session's data as JSON.
    @Field(key: "data") var data: String
    @Field(key: "last_seen") var lastSeen: Date
    /// The signed-in user the data names, if any (so the lookup can join it).
    @OptionalField(key: "user_id") var userID: UUID?

    init() {}

    init(key: String, data: String, lastSeen: Date) {
        self.key = key
        self.data = data
        self.lastSeen = lastSeen
    }
}
