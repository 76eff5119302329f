import Fluent
import Vapor

/// `GET /api/v1/me`: who is signed in.
enum MeAPIController {
    struct Me: Content {
        struct Ref: Content {
            var code: String
            var name: String
        }

        var username: String
        var displayName: String
        var role: String
        var agency: Ref?
        /// None for the operator and for a reviewer that opened no region.
        var region: Ref?

        enum CodingKeys: String, CodingKey {
            case username, displayName = "display_name", role, agency, region
        }
    }

    @Sendable static func me(_ req: Request) async throws -> Me {
        let user = try req.requireUser()
        let region = try? await req.currentRegion()
        var agency: Me.Ref?
        if let id = user.$agency.id, let record = try await Agency.find(id, on: req.db) {
            agency = .init(code: record.code, name: record.name)
        }
        return Me(username: user.username, displayName: user.displayName, role: user.role.rawValue, agency: agency,
                  region: region.map { .init(code: $0.code, name: $0.name) })
    }
}
