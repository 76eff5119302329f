import Fluent
import Foundation
import PilarCore
import Vapor

/// `pilar instrument validate FILE` and `pilar instrument import FILE`.
struct InstrumentCommands: AsyncCommandGroup {
    var help: String { "Checks or imports an instrument file (YAML or JSON)." }
    var commands: [String: any AnyAsyncCommand] {
        ["validate": ValidateInstrumentCommand(), "import": ImportInstrumentCommand()]
    }

    static func read(_ path: String, console: any Console) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            console.error("\(path): cannot read the file")
            throw ExitCode(1)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            console.error("\(path): the file is not UTF-8 text")
            throw ExitCode(1)
        }
        return text
    }

    static func report(_ error: InstrumentFileError, path: String, console: any Console) {
        console.error("\(path): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s")")
        for issue in error.issues { console.print("  \(path):\(issue)") }
    }
}

/// The one argument of `instrument validate` and `instrument import`.
struct InstrumentFileSignature: CommandSignature {
    @Argument(name: "file", help: "The instrument file (YAML or JSON).")
    var file: String
}

struct ValidateInstrumentCommand: AsyncCommand {
    typealias Signature = InstrumentFileSignature

    var help: String { "Checks an instrument file; exits 1 naming every problem with its line." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let text = try InstrumentCommands.read(signature.file, console: context.console)
        do {
            let instrument = try InstrumentParser.parse(text)
            InstrumentSummary.lines(instrument).forEach { context.console.print($0) }
        } catch {
            InstrumentCommands.report(error, path: signature.file, console: context.console)
            throw ExitCode(1)
        }
    }
}

struct ImportInstrumentCommand: AsyncCommand {
    typealias Signature = InstrumentFileSignature

    var help: String { "Validates an instrument file and loads it in one transaction; a bad file changes nothing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let text = try InstrumentCommands.read(signature.file, console: context.console)
        let app = context.application
        try await Startup.migrate(app)
        do {
            switch try await InstrumentLibrary.importInstrument(text, on: app.db, now: app.now) {
            case let .imported(key, indicators):
                context.console.print("Imported instrument '\(key)' (\(indicators) indicators).")
            case let .unchanged(key):
                context.console.print("Instrument '\(key)' is already imported with the same content; nothing changed.")
            }
        } catch let error as InstrumentFileError {
            InstrumentCommands.report(error, path: signature.file, console: context.console)
            context.console.error("Nothing was imported.")
            throw ExitCode(1)
        } catch let error as InstrumentLibrary.Conflict {
            context.console.error("\(signature.file): \(error.description)")
            throw ExitCode(1)
        }
    }
}

/// The one-screen summary `instrument validate` prints.
enum InstrumentSummary {
    static func lines(_ instrument: Instrument) -> [String] {
        var lines = [
            "OK: \(instrument.id) — \(instrument.title)",
            "  authority: \(instrument.authority); edition: \(instrument.edition)\(instrument.isModel ? " (MODEL, not the authority's text)" : "")",
            "  scale \(InstrumentValidator.fmt(instrument.scale.min))–\(InstrumentValidator.fmt(instrument.scale.max)): "
                + instrument.scale.levels.map { "\($0.level) \($0.name)" }.joined(separator: ", "),
            "  predicates: " + instrument.predicates.map { band in
                "\(band.name) [\(InstrumentValidator.fmt(band.min)), \(band.max.map(InstrumentValidator.fmt) ?? "∞"))"
            }.joined(separator: "; "),
            "  rounding: \(instrument.rounding.digits) digits, \(instrument.rounding.mode.rawValue)",
            "  \(instrument.allGroups.count) groups, \(instrument.indicators.count) indicators",
            "  top-level groups (weight, groups, indicators):",
        ]
        for group in instrument.groups {
            let sub = Instrument(id: "", title: "", authority: "", edition: "", scale: instrument.scale, predicates: [],
                                 rounding: instrument.rounding, groups: [group])
            let weight = InstrumentValidator.fmt(group.weight)
            lines.append("    \(group.code.padding(toLength: 6, withPad: " ", startingAt: 0)) \(weight.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(sub.allGroups.count - 1).padding(toLength: 3, withPad: " ", startingAt: 0)) \(String(sub.indicators.count).padding(toLength: 4, withPad: " ", startingAt: 0)) \(group.title)")
        }
        let pillars = CompiledInstrument(instrument).pillarCodes
        if !pillars.isEmpty {
            lines.append("  pillars tagged: " + pillars.joined(separator: ", "))
        }
        return lines
    }
}
