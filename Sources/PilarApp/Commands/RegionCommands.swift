import Fluent
import Foundation
import Vapor

/// `pilar region add --code C --name N --kind kota|kabupaten|provinsi --province P --time-zone Asia/Jakarta`,
/// and `pilar region list`.
struct RegionCommands: AsyncCommandGroup {
    var help: String { "Manages the installation's regions." }
    var commands: [String: any AnyAsyncCommand] { ["add": AddRegionCommand(), "list": ListRegionsCommand()] }
}

struct AddRegionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "code", help: "URL-safe code, e.g. kota-madiun (also the prefix of its sign-in names).")
        var code: String?
        @Option(name: "name", help: "The region's name, e.g. \"Kota Madiun\".")
        var name: String?
        @Option(name: "kind", help: "kota, kabupaten or provinsi.")
        var kind: String?
        @Option(name: "province", help: "The province, e.g. \"Jawa Timur\".")
        var province: String?
        @Option(name: "time-zone", help: "Asia/Jakarta (WIB, the default), Asia/Makassar (WITA) or Asia/Jayapura (WIT).")
        var timeZone: String?
    }

    var help: String { "Adds a region with the six Smart City pillars; then `pilar user add --region CODE --role admin` gives it its admin." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        guard let code = signature.code, let name = signature.name, let kind = signature.kind, let province = signature.province else {
            console.error("give --code C --name N --kind kota|kabupaten|provinsi --province P [--time-zone Asia/Jakarta]")
            throw ExitCode(2)
        }
        let new = Regions.New(code: code.trimmingCharacters(in: .whitespaces), name: name.trimmingCharacters(in: .whitespaces),
                              kind: kind, province: province.trimmingCharacters(in: .whitespaces),
                              timeZone: signature.timeZone ?? "Asia/Jakarta")
        let problems = Regions.problems(new)
        guard problems.isEmpty else {
            for problem in problems { console.error("--\(problem.field.replacingOccurrences(of: "_", with: "-")): \(problem.description)") }
            throw ExitCode(2)
        }
        let app = context.application
        try await Startup.migrate(app)
        if try await Regions.codeTaken(new.code, on: app.db) {
            console.error("--code: '\(new.code)' is already a region's code or sign-in prefix")
            throw ExitCode(1)
        }
        let now = app.now
        let region = try await app.db.transaction { tx in try await Regions.create(new, on: tx, at: now, actor: nil) }
        console.print("Added region '\(region.code)' (\(region.name), \(region.province)) with the six Smart City pillars.")
        console.print("Next: printf '%s\\n' \"$PW\" | pilar user add --region \(region.code) --username \(region.code).admin --role admin")
    }
}

struct ListRegionsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists the regions: code, kind, name, province, time zone." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Startup.migrate(app)
        for r in try await Region.query(on: app.db).sort(\.$code).all() {
            context.console.print("\(r.code)\t\(r.kind)\t\(r.name)\t\(r.province)\t\(r.timeZone)")
        }
    }
}
