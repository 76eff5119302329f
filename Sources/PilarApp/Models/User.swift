import Fluent
import Foundation
import PilarCore
import Vapor

/// Someone who signs in to Pilar.
final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @OptionalParent(key: "agency_id") var agency: Agency?
    /// Unique across the installation (people sign in with it).
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: Role
    /// bcrypt hash.
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "active") var active: Bool
    @Field(key: "failed_sign_ins") var failedSignIns: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "is_demo") var isDemo: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(regionID: UUID, agencyID: UUID?, username: String, displayName: String, role: Role,
         passwordHash: String, isDemo: Bool = false) {
        self.$region.id = regionID
        self.$agency.id = agencyID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.active = true
        self.failedSignIns = 0
        self.isDemo = isDemo
    }

    var actor: AccessPolicy.Actor {
        AccessPolicy.Actor(role: role, regionID: $region.id.uuidString, agencyID: $agency.id?.uuidString)
    }
}
