import Fluent
import Vapor

/// Look-ups shared by the commands, each ending the command with a clear message when it fails.
enum CommandSupport {
    /// The region with `code`, or a message and exit 1.
    static func region(_ code: String, app: Application, console: any Console) async throws -> Region {
        guard let region = try await Region.query(on: app.db).filter(\.$code == code).first() else {
            console.error("no region with code '\(code)'")
            throw ExitCode(1)
        }
        return region
    }
}
