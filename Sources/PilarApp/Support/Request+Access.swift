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

    /// The signed-in user's region.
    func currentRegion() async throws -> Region {
        let user = try requireUser()
        if let region = user.$region.value { return region }
        guard let region = try await Region.find(user.$region.id, on: db) else { throw Abort(.forbidden) }
        return region
    }
}
