import FluentKit
import SQLKit
import Vapor

/// `GET /healthz`: answers after checking that the database answers.
enum HealthController {
    struct Health: Content {
        var status: String
        var database: String
    }

    @Sendable static func check(_ req: Request) async throws -> Response {
        let kind = req.application.config.database.kindName
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            _ = try await sql.raw("SELECT 1 AS ok").first()
            let response = Response(status: .ok)
            try response.content.encode(Health(status: "ok", database: kind))
            return response
        } catch {
            req.logger.error("health check failed: \(String(reflecting: error))")
            let response = Response(status: .serviceUnavailable)
            try response.content.encode(Health(status: "unavailable", database: kind))
            return response
        }
    }
}
