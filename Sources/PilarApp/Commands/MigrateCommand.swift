import Fluent
import Vapor

/// `pilar migrate`: runs the migrations and imports the shipped instruments, without prompting.
struct PilarMigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Creates or updates the database tables and imports the shipped instruments." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Startup.migrate(context.application)
        context.console.print("Database is up to date (\(context.application.config.database.kindName)).")
    }
}

/// `pilar seed-demo`: loads the demo city (Kota Kediri) unless it is there already.
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Loads the demo city Kota Kediri with its 2022 cycle and one demo user per role." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Startup.migrate(app)
        let result = try await DemoSeed.load(app)
        result.lines.forEach { context.console.print($0) }
    }
}
