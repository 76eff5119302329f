import Fluent
import PilarCore
import Vapor

extension Request {
    /// The signed-in user's permission identity.
    func actor() throws -> AccessPolicy.Actor {
        try requireUser().actor
    }

    /// Refuses with 403 unless the user's role holds `permission` at all.
    func authorize(_ permission: Permission) throws {
        guard AccessPolicy.allows(try actor(), permission) else { throw Abort(.forbidden) }
    }

    /// Refuses with 403 unless the user may do `permission` on `resource`.
    func authorize(_ permission: Permission, on resource: AccessPolicy.Resource) throws {
        guard AccessPolicy.allows(try actor(), permission, on: resource) else { throw Abort(.forbidden) }
    }

    /// The region the signed-in user works in (its own, or the one a reviewer opened); 403 for the
    /// operator and for a reviewer that opened none.
    func currentRegion() async throws -> Region {
        let user = try requireUser()
        if let region = user.workingRegion { return region }
        guard let region = try await Region.find(try user.regionID, on: db) else { throw Abort(.forbidden) }
        user.workingRegion = region
        return region
    }
}
