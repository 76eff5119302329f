import Fluent
import Foundation
import PilarCore
import Vapor

/// Creating users and checking passwords.
enum Accounts {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static let minimumPasswordLength = 8

    /// A random password people can type: 16 characters without look-alikes.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func validateUsername(_ username: String) throws {
        guard username.range(of: #"^[a-z0-9][a-z0-9._-]{1,63}$"#, options: .regularExpression) != nil else {
            throw Invalid(description: "username '\(username)' must be 2–64 lowercase letters, digits, '.', '_' or '-'")
        }
    }

    static func validatePassword(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw Invalid(description: "the password must have at least \(minimumPasswordLength) characters")
        }
    }

    /// Creates a user with a bcrypt-hashed password: a region's user in `region`, the operator or a
    /// reviewer without one.
    @discardableResult
    static func create(
        app: Application, on db: any Database, region: Region?, agency: Agency?, username: String,
        displayName: String, role: Role, password: String, isDemo: Bool = false
    ) async throws -> User {
        try validateUsername(username)
        try validatePassword(password)
        if role.belongsToRegion != (region != nil) {
            throw Invalid(description: role.belongsToRegion ? "a \(role.rawValue) belongs to a region (--region CODE)"
                                                            : "the \(role.rawValue) belongs to the installation, not to a region")
        }
        if role == .agency && agency == nil {
            throw Invalid(description: "an agency user needs an agency (--agency CODE)")
        }
        if try await User.query(on: db).filter(\.$username == username).first() != nil {
            throw Invalid(description: "username '\(username)' is already taken")
        }
        // A name that claims another region's prefix belongs to that region's names.
        if let claimed = Usernames.claimedPrefix(username), claimed != region?.effectiveUsernamePrefix,
           let owner = try await Region.query(on: db).filter(\.$usernamePrefix == claimed).first() {
            throw Invalid(description: "username '\(username)' starts with '\(claimed).', the prefix of region '\(owner.code)'")
        }
        let hash = try await app.password.async(on: app.threadPool, hopTo: db.eventLoop).hash(password).get()
        let user = User(regionID: try region?.requireID(), agencyID: try agency?.requireID(), username: username,
                        displayName: displayName, role: role, passwordHash: hash, isDemo: isDemo)
        try await user.create(on: db)
        return user
    }
}
