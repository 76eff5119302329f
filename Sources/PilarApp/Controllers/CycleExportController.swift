import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `GET /cycles/{year}/export.xlsx|csv`: the cycle's assessment, one row per indicator with its
/// path, scores, agency, texts and evidence, and a summary sheet of the index, dimensions and pillars.
enum CycleExportController {
    static func download(_ req: Request, format: SiteURL.ExportFormat) async throws -> Response {
        try req.authorize(.exportCycle)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else {
            throw Abort(.notFound)
        }
        return try Spreadsheet.response(try await tables(req, data: data), format: format,
                           filename: "penilaian-\(region.code)-\(year)")
    }

    /// One row per indicator in the instrument's order with its path, and a summary sheet.
    static func tables(_ req: Request, data: CycleData) async throws -> [Spreadsheet.Table] {
        let compiled = data.compiled, instrument = compiled.instrument
        let cycleID = try data.cycle.requireID()
        let agencies = try await Agency.query(on: req.db).filter(\.$region.$id == data.region.requireID()).all()
        let agencyCode = Dictionary(agencies.compactMap { a in a.id.map { ($0, a.code) } }, uniquingKeysWith: { a, _ in a })
        // Evidence titles and dates per assessment, in one query reading four columns (tens of
        // thousands of links on a large region: no models built).
        var evidence: [UUID: [String]] = [:]
        if let sql = req.db as? any SQLDatabase {
            let rows = try await CycleData.evidenceLinks(sql, cycle: cycleID)
                .column(SQLColumn("title", table: "evidence"))
                .column(SQLColumn("document_date", table: "evidence"))
                .column(SQLColumn("expires_on", table: "evidence"))
                .orderBy(SQLColumn("title", table: "evidence"))
                .all()
            for row in rows {
                var line = try row.decode(column: "title", as: String.self)
                if let date = try row.decodeNil(column: "document_date") ? nil : row.decode(column: "document_date", as: String.self) {
                    line += " (\(date))"
                }
                if let expiry = try row.decodeNil(column: "expires_on") ? nil : row.decode(column: "expires_on", as: String.self) {
                    line += " [s.d. \(expiry)]"
                }
                evidence[try row.decode(column: "assessment_id", as: UUID.self), default: []].append(line)
            }
        }
        let scored = ScoringEngine.score(compiled, values: data.values(.verified))
        var rows: [[XLSX.Cell]] = []
        func walk(_ node: InstrumentNode, path: [InstrumentNode]) {
            guard node.isIndicator else {
                node.children.forEach { walk($0, path: path + [node]) }
                return
            }
            let a = data.assessments[node.code]
            let slot = compiled.slot(of: node.code)!
            let effective = scored.effectiveWeight[compiled.indicatorNodes[slot]]
            rows.append([
                .text(path.first?.code ?? ""), .text(path.first?.title ?? ""),
                .text(path.dropFirst().map(\.code).joined(separator: " › ")), .text(node.code), .text(node.title),
                .number(node.weight), effective > 0 ? .number((effective * 10000).rounded() / 10000) : .empty,
                Spreadsheet.text(node.pillar ?? path.last(where: { $0.pillar != nil })?.pillar),
                Spreadsheet.text(a?.leadAgencyID.flatMap { agencyCode[$0] }),
                Spreadsheet.number(a?.targetLevel), a?.notApplicable == true ? .text("N/A") : Spreadsheet.number(a?.selfLevel),
                a?.notApplicable == true ? .text("N/A") : Spreadsheet.number(a?.verifiedLevel), Spreadsheet.number(a?.officialScore),
                Spreadsheet.text(a.map { req.t["status_\($0.status.rawValue)"] }), Spreadsheet.text(a?.justification), Spreadsheet.text(a?.verifiedNote),
                Spreadsheet.text(a.flatMap { evidence[$0.id]?.joined(separator: "; ") }),
            ])
        }
        instrument.groups.forEach { walk($0, path: []) }
        let t = req.t
        let indicators = Spreadsheet.Table(
            name: t["export_sheet_indicators"],
            headers: ["export_col_dimension", "export_col_dimension_title", "export_col_path", "export_col_code",
                      "export_col_indicator", "export_col_weight", "export_col_effective", "export_col_pillar",
                      "export_col_agency", "layer_target", "layer_self", "layer_verified", "layer_official",
                      "export_col_status", "export_col_justification", "export_col_note", "export_col_evidence"].map { t[$0] },
            rows: rows, widths: [10, 22, 14, 10, 48, 8, 10, 12, 12, 8, 10, 12, 8, 14, 50, 40, 60])
        // Summary: the index per layer, then every dimension and pillar.
        let layers = ScoreLayer.allCases
        let reports = layers.map { data.report($0) }
        func display(_ v: Double?) -> XLSX.Cell {
            v.flatMap { Double(instrument.rounding.display($0)) }.map { .number($0) } ?? .empty
        }
        var summary: [[XLSX.Cell]] = [[.text(t["export_index"]), .text(""), .empty] + reports.map { display($0.index) }]
        summary.append([.text(t["home_target"]), .text(""), .empty, Spreadsheet.number(data.cycle.targetIndex), .empty, .empty, .empty])
        summary.append([.text(t["home_coverage"]), .text(""), .empty] + reports.map { .number(($0.coverage * 1000).rounded() / 1000) })
        if let letter = data.letterIndex {
            summary.append([.text(t["export_letter_index"]), .text(""), .empty, .empty, .empty, .empty, .number(letter)])
        }
        for (i, g) in instrument.groups.enumerated() {
            summary.append([.text(t["home_col_group"]), .text("\(g.code) \(g.title)"), .number(g.weight)]
                           + reports.map { display($0.groups[i].score) })
        }
        for (k, code) in compiled.pillarCodes.enumerated() {
            let name = SmartCityPillar.named(code).map { req.language == .id ? $0.nameID : $0.nameEN } ?? code
            summary.append([.text(t["home_col_pillar"]), .text(name), .number((reports[0].pillars[k].weight * 1000).rounded() / 1000)]
                           + reports.map { display($0.pillars[k].score) })
        }
        let summaryTable = Spreadsheet.Table(
            name: t["export_sheet_summary"],
            headers: [t["export_col_item"], t["export_col_name"], t["export_col_weight"]] + layers.map { t["layer_\($0.rawValue)"] },
            rows: summary, widths: [14, 40, 8, 10, 16, 14, 10])
        return [indicators, summaryTable]
    }
}
