import Fluent
import Foundation
import PilarCore
import Vapor

/// `pilar score`: the index of a score file against an instrument file, or of a stored cycle.
struct ScoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "instrument", help: "Instrument file (with --scores).")
        var instrument: String?
        @Option(name: "scores", help: "CSV file of rows code,score (a decimal or NA).")
        var scores: String?
        @Option(name: "target", help: "Target index, to report the gap (with --instrument).")
        var target: Double?
        @Option(name: "region", help: "Region code of a stored cycle, e.g. kota-kediri.")
        var region: String?
        @Option(name: "cycle", help: "Year of the stored cycle.")
        var cycle: Int?
        @Option(name: "layer", help: "self, verified, official or target (default verified).")
        var layer: String?
        @Option(name: "format", help: "text (default) or json.")
        var format: String?
    }

    var help: String {
        "Computes an index: --instrument FILE --scores FILE.csv, or --region CODE --cycle YEAR --layer LAYER; --format json for JSON."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        let format = signature.format ?? "text"
        guard ["text", "json"].contains(format) else {
            console.error("--format must be text or json, found '\(format)'")
            throw ExitCode(2)
        }
        let report: ScoreReport
        if let instrumentPath = signature.instrument {
            guard let scoresPath = signature.scores else {
                console.error("--instrument needs --scores FILE.csv")
                throw ExitCode(2)
            }
            let instrument: Instrument
            do {
                instrument = try InstrumentParser.parse(try InstrumentCommands.read(instrumentPath, console: console))
            } catch let error as InstrumentFileError {
                InstrumentCommands.report(error, path: instrumentPath, console: console)
                throw ExitCode(1)
            }
            let compiled = CompiledInstrument(instrument)
            let values: [String: LevelValue]
            do {
                values = try ScoreCSV.parse(try InstrumentCommands.read(scoresPath, console: console), instrument: compiled)
            } catch let error as ScoreCSV.Problem {
                error.issues.forEach { console.error("\(scoresPath): \($0)") }
                throw ExitCode(1)
            }
            report = ScoreReport(compiled, values: compiled.values(from: values), target: signature.target)
        } else if let regionCode = signature.region, let year = signature.cycle {
            let layerName = signature.layer ?? ScoreLayer.verified.rawValue
            guard let layer = ScoreLayer(rawValue: layerName) else {
                console.error("--layer must be self, verified, official or target, found '\(layerName)'")
                throw ExitCode(2)
            }
            let app = context.application
            try await Startup.migrate(app)
            let region = try await CommandSupport.region(regionCode, app: app, console: console)
            guard let data = try await CycleData.load(region: region, year: year, on: app.db, library: app.instruments) else {
                console.error("region '\(regionCode)' has no cycle for \(year)")
                throw ExitCode(1)
            }
            report = data.report(layer)
        } else {
            console.error("give --instrument FILE --scores FILE.csv, or --region CODE --cycle YEAR [--layer LAYER]")
            throw ExitCode(2)
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            console.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            ScoreText.lines(report).forEach { console.print($0) }
        }
    }
}

/// The text form of a score report.
enum ScoreText {
    static func lines(_ r: ScoreReport) -> [String] {
        func pct(_ v: Double) -> String { "\(Int((v * 100).rounded()))%" }
        var lines = [
            "instrument: \(r.instrument)" + (r.layer.map { "   layer: \($0)" } ?? ""),
            "index: \(r.display ?? "–")" + (r.predicate.map { " (\($0))" } ?? "") + "   full precision: \(r.index.map { String($0) } ?? "–")",
            "coverage: \(pct(r.coverage)) of the applicable weight; \(r.scored) of \(r.indicators) indicators scored, "
                + "\(r.missing.count) missing, \(r.notApplicable.count) not applicable",
        ]
        if let target = r.target {
            lines.append("target: \(target)   gap: \(r.gapDisplay ?? "–")")
        }
        lines.append("groups:")
        func walk(_ g: ScoreReport.Group, depth: Int) {
            let indent = String(repeating: "  ", count: depth + 1)
            let score = g.applicable ? (g.display ?? "–") : "N/A"
            lines.append("\(indent)\(g.code) \(g.title) [w \(InstrumentValidator.fmt(g.weight))]: \(score)  (coverage \(pct(g.coverage)))")
            g.groups.forEach { walk($0, depth: depth + 1) }
        }
        r.groups.forEach { walk($0, depth: 0) }
        if !r.pillars.isEmpty {
            lines.append("pillars:")
            for p in r.pillars {
                lines.append("  \(p.name): \(p.display ?? "–")  (coverage \(pct(p.coverage)))")
            }
        }
        if !r.missing.isEmpty { lines.append("missing: " + r.missing.joined(separator: ", ")) }
        if !r.notApplicable.isEmpty { lines.append("not applicable: " + r.notApplicable.joined(separator: ", ")) }
        return lines
    }
}
