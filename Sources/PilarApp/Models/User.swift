import Fluent
import Foundation
import PilarCore
import Vapor

/// Someone who signs in to Pilar.
final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    /// The region a region's user belongs to; none for the operator and reviewers.
    @OptionalParent(key: "region_id") var homeRegion: Region?
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
    @OptionalField(key: "email") var email: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// The region this request works in, when it is not the user's own: the one a reviewer opened
    /// (set by `SessionUserMiddleware` for the request, never stored).
    var openedRegionID: UUID?
    /// The working region itself, attached for the request (`SessionUserMiddleware`).
    var workingRegion: Region?

    /// The region this request works in: the user's own, or the one a reviewer opened; 403 without one.
    var regionID: UUID {
        get throws {
            guard let id = openedRegionID ?? $homeRegion.id else { throw Abort(.forbidden) }
            return id
        }
    }

    init() {}

    /// Fluent's properties listed by hand: its default finds them by reflection (`Mirror`), which
    /// cost every page more than its session lookup's statement — the user is decoded on every
    /// request. `ModelPropertiesTests` checks the list against reflection, so a field added above
    /// and forgotten here fails a test.
    var properties: [any AnyProperty] {
        [$id, $homeRegion, $agency, $username, $displayName, $role, $passwordHash, $active, $failedSignIns,
         $lockedUntil, $isDemo, $email, $createdAt]
    }

    init(regionID: UUID?, agencyID: UUID?, username: String, displayName: String, role: Role,
         passwordHash: String, isDemo: Bool = false) {
        self.$homeRegion.id = regionID
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
        AccessPolicy.Actor(role: role, regionID: (openedRegionID ?? $homeRegion.id)?.uuidString ?? "",
                           agencyID: $agency.id?.uuidString)
    }
}
