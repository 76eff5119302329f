import Fluent
import Foundation
import PilarCore
import Vapor

/// `pilar user add --region CODE --username U --role R [--agency CODE]`; the password comes from standard input.
struct UserCommands: AsyncCommandGroup {
    var help: String { "Manages users." }
    var commands: [String: any AnyAsyncCommand] { ["add": AddUserCommand()] }
}

struct AddUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "region", help: "Region code, e.g. kota-kediri.")
        var region: String?
        @Option(name: "username", help: "Sign-in name (lowercase).")
        var username: String?
        @Option(name: "role", help: "admin, coordinator, agency, leader or assessor.")
        var role: String?
        @Option(name: "agency", help: "Agency code (required for the agency role).")
        var agency: String?
        @Option(name: "name", help: "Display name (defaults to the username).")
        var name: String?
    }

    var help: String { "Adds a user; reads the password from standard input (one line)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        guard let regionCode = signature.region, let username = signature.username, let roleName = signature.role else {
            console.error("give --region CODE --username U --role R [--agency CODE]")
            throw ExitCode(2)
        }
        guard let role = Role(rawValue: roleName) else {
            console.error("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), found '\(roleName)'")
            throw ExitCode(2)
        }
        let app = context.application
        try await Startup.migrate(app)
        let region = try await CommandSupport.region(regionCode, app: app, console: console)
        var agency: Agency?
        if let code = signature.agency {
            agency = try await Agency.query(on: app.db).filter(\.$region.$id == region.requireID())
                .filter(\.$code == code.uppercased()).first()
            if agency == nil {
                console.error("region '\(regionCode)' has no agency with code '\(code)'")
                throw ExitCode(1)
            }
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            console.error("no password on standard input (pipe it in, e.g. `printf '%s\\n' \"$PW\" | pilar user add …`)")
            throw ExitCode(1)
        }
        do {
            let user = try await Accounts.create(app: app, on: app.db, region: region, agency: agency, username: username,
                                                 displayName: signature.name ?? username, role: role, password: line)
            console.print("Added \(role.rawValue) '\(user.username)' to \(region.name)\(agency.map { " (\($0.code))" } ?? "").")
        } catch let error as Accounts.Invalid {
            console.error(error.description)
            throw ExitCode(1)
        }
    }
}
