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
    struct Signature: CommandSignature {
        @Option(name: "scale", help: "Also load a large invented region 'skala-N' for speed tests: N×100 indicators, N×20 agencies, N×2,000 evidence records, N×500 action items (1–50).")
        var scale: Int?
        @Option(name: "regions", help: "Also load N copies of the demo city (kota-contoh-01 …, 1–200), each a little different, and the reviewer 'provinsi.peninjau' given all of them: the province's comparison page at scale.")
        var regions: Int?
    }

    var help: String { "Loads the demo city Kota Kediri with its 2022 cycle and one demo user per role; with --scale N also a large region for benchmarks." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if let scale = signature.scale, !(1...50).contains(scale) {
            context.console.error("--scale must be a whole number from 1 to 50.")
            throw ExitCode(2)
        }
        if let regions = signature.regions, !(1...200).contains(regions) {
            context.console.error("--regions must be a whole number from 1 to 200.")
            throw ExitCode(2)
        }
        try await Startup.migrate(app)
        let result = try await DemoSeed.load(app)
        result.lines.forEach { context.console.print($0) }
        if let scale = signature.scale {
            let started = ContinuousClock.now
            let lines = try await ScaleSeed.load(app, scale: scale)
            lines.forEach { context.console.print($0) }
            context.console.print(String(format: "(%.1f s)", Self.seconds(ContinuousClock.now - started)))
        }
        if let regions = signature.regions {
            let started = ContinuousClock.now
            let lines = try await DemoSeed.loadProvince(app, regions: regions)
            lines.forEach { context.console.print($0) }
            context.console.print(String(format: "(%.1f s)", Self.seconds(ContinuousClock.now - started)))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
