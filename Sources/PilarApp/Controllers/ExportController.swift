import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// Spreadsheets of the cycle's assessment (`/cycles/{year}/export.xlsx|csv`), the action items,
/// programmes with KPIs, and the audit trail (`/actions|programmes|audit/export.xlsx|csv`).
/// The XLSX holds every table as a sheet; the CSV holds the main table (UTF-8 with a byte-order
/// mark so Excel reads the accents, cells that would start a formula prefixed with `'`).
enum ExportController {
    struct Table {
        var name: String
        var headers: [String]
        var rows: [[XLSX.Cell]]
        var widths: [Double]
    }

    static func respond(_ tables: [Table], format: SiteURL.ExportFormat, filename: String) throws -> Response {
        var headers = HTTPHeaders()
        let body: Data
        switch format {
        case .xlsx:
            body = try XLSX.write(tables.map {
                XLSX.Sheet(name: $0.name, rows: [$0.headers.map { .text($0) }] + $0.rows, widths: $0.widths)
            })
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        case .csv:
            body = csv(tables[0])
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        }
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename).\(format.rawValue)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }

    /// The table as CSV (UTF-8 with a byte-order mark): every text cell through `CSVText.cell`, so
    /// nothing an agency typed becomes a formula in Excel.
    static func csv(_ table: Table) -> Data {
        func cell(_ c: XLSX.Cell) -> String {
            switch c {
            case let .text(s): return CSVText.cell(s)
            case let .number(v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
            case .empty: return ""
            }
        }
        var out = "\u{FEFF}" + table.headers.map(CSVText.cell).joined(separator: ",") + "\r\n"
        for row in table.rows { out += row.map(cell).joined(separator: ",") + "\r\n" }
        return Data(out.utf8)
    }

    static func text(_ s: String?) -> XLSX.Cell { s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
    static func number(_ v: Double?) -> XLSX.Cell { v.map { .number($0) } ?? .empty }

    // MARK: The cycle's assessment

    static func cycle(_ req: Request, format: SiteURL.ExportFormat) async throws -> Response {
        try req.authorize(.exportCycle)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else {
            throw Abort(.notFound)
        }
        return try respond(try await assessmentTables(req, data: data), format: format,
                           filename: "penilaian-\(region.code)-\(year)")
    }

    /// One row per indicator in the instrument's order with its path, and a summary sheet.
    static func assessmentTables(_ req: Request, data: CycleData) async throws -> [Table] {
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
                text(node.pillar ?? path.last(where: { $0.pillar != nil })?.pillar),
                text(a?.$leadAgency.id.flatMap { agencyCode[$0] }),
                number(a?.targetLevel), a?.notApplicable == true ? .text("N/A") : number(a?.selfLevel),
                a?.notApplicable == true ? .text("N/A") : number(a?.verifiedLevel), number(a?.officialScore),
                text(a.map { req.t["status_\($0.status)"] }), text(a?.justification), text(a?.verifiedNote),
                text(a?.id.flatMap { evidence[$0]?.joined(separator: "; ") }),
            ])
        }
        instrument.groups.forEach { walk($0, path: []) }
        let t = req.t
        let indicators = Table(
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
        summary.append([.text(t["home_target"]), .text(""), .empty, number(data.cycle.targetIndex), .empty, .empty, .empty])
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
        let summaryTable = Table(
            name: t["export_sheet_summary"],
            headers: [t["export_col_item"], t["export_col_name"], t["export_col_weight"]] + layers.map { t["layer_\($0.rawValue)"] },
            rows: summary, widths: [14, 40, 8, 10, 16, 14, 10])
        return [indicators, summaryTable]
    }

    // MARK: Lists

    static func list(_ req: Request, list: SiteURL.ExportList, format: SiteURL.ExportFormat) async throws -> Response {
        let region = try await req.currentRegion()
        let today = req.today(in: region.zone)
        let t = req.t
        switch list {
        case .actions:
            try req.authorize(.readActions)
            // The list as the user filtered it (the page's download links carry its filter).
            let agencies = try await Agency.query(on: req.db).filter(\.$region.$id == region.requireID()).all()
            let filter = (try? req.query.decode(ActionList.Filter.self)) ?? ActionList.Filter()
            let items = try await ActionList.ordered(
                ActionList.Selection(req, region: region, filter: filter, agencies: agencies).shown()).all()
            let code = Dictionary(agencies.compactMap { a in a.id.map { ($0, a.code) } }, uniquingKeysWith: { a, _ in a })
            let rows: [[XLSX.Cell]] = items.map { i in
                let urgency = ActionList.urgency(i, today: today)
                return [.text(i.title), text(code[i.$assignee.id]), text(i.dueOn), .text(t["priority_\(i.priority)"]),
                 .text(t["action_status_\(i.status)"]), urgency == .none ? .empty : .text(t["actions_overdue_flag_\(urgency.rawValue)"]),
                 text(i.indicatorCode), text(i.description), .text(i.createdBy),
                 .text(Format.dateTime(i.createdAt, zone: region.zone, t)), text(i.closedBy),
                 text(i.closedAt.map { Format.dateTime($0, zone: region.zone, t) })]
            }
            return try respond([Table(
                name: t["actions_title"],
                headers: ["export_col_title", "export_col_agency", "export_col_due", "export_col_priority", "export_col_status",
                          "export_col_urgency", "export_col_code", "export_col_description", "export_col_created_by",
                          "export_col_created_at", "export_col_closed_by", "export_col_closed_at"].map { t[$0] },
                rows: rows, widths: [44, 12, 12, 10, 14, 14, 10, 50, 30, 20, 30, 20])], format: format,
                filename: "rencana-aksi-\(region.code)")
        case .programmes:
            try req.authorize(.readProgrammes)
            return try respond(try await programmeTables(req, region: region), format: format, filename: "program-\(region.code)")
        case .audit:
            break
        }
        try req.authorize(.manageCycles)
        let search = (try? req.query.decode(AuditPage.Query.self))?.q
        let events = try await AuditPage.query(req, region: region, search: AuditPage.searchText(search))
            .sort(\.$at, .descending).sort(\.$id).all()
        let rows: [[XLSX.Cell]] = events.map { e in
            [.text(Format.dateTime(e.at, zone: region.zone, t)), .text(e.actorName), .text(e.entity), .text(e.entityKey),
             .text(t.lookup("action_\(e.action)") ?? e.action), .text(AuditLog.label(field: e.field, t)), text(e.before), text(e.after)]
        }
        return try respond([Table(
            name: t["nav_audit"],
            headers: ["export_col_at", "export_col_actor", "export_col_entity", "export_col_code", "export_col_action",
                      "export_col_field", "export_col_before", "export_col_after"].map { t[$0] },
            rows: rows, widths: [20, 30, 12, 16, 18, 20, 30, 30])], format: format, filename: "jejak-audit-\(region.code)")
    }

    /// Programmes (one row each) and their KPIs with every target and realisation (one row per period).
    static func programmeTables(_ req: Request, region: Region) async throws -> [Table] {
        let t = req.t
        let programmes = try await Programme.query(on: req.db).filter(\.$region.$id == region.requireID())
            .with(\.$owner).sort(\.$pillarCode).sort(\.$title).all()
        let ids = programmes.compactMap(\.id)
        let kpis = ids.isEmpty ? [] : try await KPI.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$position).all()
        let kpiIDs = kpis.compactMap(\.id)
        let targets = kpiIDs.isEmpty ? [] : try await KPITarget.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        let actuals = kpiIDs.isEmpty ? [] : try await KPIRealisation.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        let budgets = ids.isEmpty ? [] : try await ProgrammeBudget.query(on: req.db).filter(\.$programme.$id ~~ ids).all()
        let rows: [[XLSX.Cell]] = programmes.map { p in
            let b = budgets.filter { $0.$programme.id == p.id }
            return [.text(p.title), .text(p.pillarCode), .text(t["horizon_\(p.horizon)"]), text(p.owner?.code),
                    .number(Double(p.startYear)), .number(Double(p.endYear)), .text(t["programme_status_\(p.status)"]),
                    .number(Double(p.progress)), number(p.quickWinYear.map(Double.init)),
                    .number(Double(b.reduce(Int64(0)) { $0 + $1.apbd })), .number(Double(b.reduce(Int64(0)) { $0 + $1.other })),
                    .text(p.isPublic ? t["export_yes"] : t["export_no"]), text(p.description)]
        }
        var kpiRows: [[XLSX.Cell]] = []
        for k in kpis {
            guard let p = programmes.first(where: { $0.id == k.$programme.id }) else { continue }
            let periods = Set(targets.filter { $0.$kpi.id == k.id }.map(\.period) + actuals.filter { $0.$kpi.id == k.id }.map(\.period)).sorted()
            for period in periods {
                let target = targets.first { $0.$kpi.id == k.id && $0.period == period }
                let actual = actuals.first { $0.$kpi.id == k.id && $0.period == period }
                kpiRows.append([.text(p.title), .text(k.name), .text(k.unit), .text(period), number(target?.target),
                                number(actual?.value), text(actual?.note)])
            }
        }
        return [
            Table(name: t["programmes_title"],
                  headers: ["export_col_title", "export_col_pillar", "export_col_horizon", "export_col_agency", "export_col_start",
                            "export_col_end", "export_col_status", "export_col_progress", "export_col_quick_win",
                            "export_col_apbd", "export_col_other", "export_col_public", "export_col_description"].map { t[$0] },
                  rows: rows, widths: [44, 12, 14, 12, 8, 8, 12, 10, 10, 18, 18, 8, 60]),
            Table(name: "KPI",
                  headers: ["export_col_programme", "export_col_kpi", "export_col_unit", "export_col_period", "layer_target",
                            "export_col_actual", "export_col_note"].map { t[$0] },
                  rows: kpiRows, widths: [40, 36, 12, 10, 12, 12, 40]),
        ]
    }
}
