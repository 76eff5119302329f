import Fluent
import Foundation
import PilarCore
import Vapor

/// `GET /actions|programmes|audit/export.xlsx|csv`: the action items as the user filtered them,
/// the programmes with every KPI's targets and realisations, and the audit trail as searched.
enum ListExportController {
    static func download(_ req: Request, list: SiteURL.ExportList, format: SiteURL.ExportFormat) async throws -> Response {
        let region = try await req.currentRegion()
        switch list {
        case .actions:
            try req.authorize(.readActions)
            return try Spreadsheet.response([try await actionTable(req, region: region)], format: format,
                                            filename: "rencana-aksi-\(region.code)")
        case .programmes:
            try req.authorize(.readProgrammes)
            return try Spreadsheet.response(try await programmeTables(req, region: region), format: format, filename: "program-\(region.code)")
        case .audit:
            try req.authorize(.manageCycles)
            return try Spreadsheet.response([try await auditTable(req, region: region)], format: format,
                                            filename: "jejak-audit-\(region.code)")
        }
    }

    /// The action items the list page shows for the same filter (the page's download links carry it).
    static func actionTable(_ req: Request, region: Region) async throws -> Spreadsheet.Table {
        let today = req.today(in: region.zone)
        let t = req.t
        let agencies = try await Setup.agencies(req, region: region)
        let filter = (try? req.query.decode(ActionList.Filter.self)) ?? ActionList.Filter()
        let items = try await ActionList.Selection(req, region: region, filter: filter, agencies: agencies).items()
        let code = Dictionary(agencies.compactMap { a in a.id.map { ($0, a.code) } }, uniquingKeysWith: { a, _ in a })
        let rows: [[XLSX.Cell]] = items.map { i in
            let urgency = ActionList.urgency(i, today: today)
            return [.text(i.title), Spreadsheet.text(code[i.assigneeID]), Spreadsheet.text(i.dueOn), .text(t["priority_\(i.priority.rawValue)"]),
             .text(t["action_status_\(i.status.rawValue)"]), urgency == .none ? .empty : .text(t["actions_overdue_flag_\(urgency.rawValue)"]),
             Spreadsheet.text(i.indicatorCode), Spreadsheet.text(i.description), .text(i.createdBy),
             .text(Format.dateTime(i.createdAt, zone: region.zone, t)), Spreadsheet.text(i.closedBy),
             Spreadsheet.text(i.closedAt.map { Format.dateTime($0, zone: region.zone, t) })]
        }
        return Spreadsheet.Table(
            name: t["actions_title"],
            headers: ["export_col_title", "export_col_agency", "export_col_due", "export_col_priority", "export_col_status",
                      "export_col_urgency", "export_col_code", "export_col_description", "export_col_created_by",
                      "export_col_created_at", "export_col_closed_by", "export_col_closed_at"].map { t[$0] },
            rows: rows, widths: [44, 12, 12, 10, 14, 14, 10, 50, 30, 20, 30, 20])
    }

    /// The region's audit trail narrowed as the audit page searched it, the newest first.
    static func auditTable(_ req: Request, region: Region) async throws -> Spreadsheet.Table {
        let t = req.t
        let search = (try? req.query.decode(AuditPage.Query.self))?.q
        let events = try await AuditPage.query(req, region: region, search: AuditPage.searchText(search))
            .sort(\.$at, .descending).sort(\.$id).all()
        let rows: [[XLSX.Cell]] = events.map { e in
            [.text(Format.dateTime(e.at, zone: region.zone, t)), .text(e.actorName), .text(e.entity), .text(e.entityKey),
             .text(t.lookup("action_\(e.action)") ?? e.action), .text(AuditLog.label(field: e.field, t)), Spreadsheet.text(e.before), Spreadsheet.text(e.after)]
        }
        return Spreadsheet.Table(
            name: t["nav_audit"],
            headers: ["export_col_at", "export_col_actor", "export_col_entity", "export_col_code", "export_col_action",
                      "export_col_field", "export_col_before", "export_col_after"].map { t[$0] },
            rows: rows, widths: [20, 30, 12, 16, 18, 20, 30, 30])
    }

    /// Programmes (one row each) and their KPIs with every target and realisation (one row per period).
    static func programmeTables(_ req: Request, region: Region) async throws -> [Spreadsheet.Table] {
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
            return [.text(p.title), .text(p.pillarCode), .text(t["horizon_\(p.horizon.rawValue)"]), Spreadsheet.text(p.owner?.code),
                    .number(Double(p.startYear)), .number(Double(p.endYear)), .text(t["programme_status_\(p.status.rawValue)"]),
                    .number(Double(p.progress)), Spreadsheet.number(p.quickWinYear.map(Double.init)),
                    .number(Double(b.reduce(Int64(0)) { $0 + $1.apbd })), .number(Double(b.reduce(Int64(0)) { $0 + $1.other })),
                    .text(p.isPublic ? t["export_yes"] : t["export_no"]), Spreadsheet.text(p.description)]
        }
        var kpiRows: [[XLSX.Cell]] = []
        for k in kpis {
            guard let p = programmes.first(where: { $0.id == k.$programme.id }) else { continue }
            let periods = Set(targets.filter { $0.$kpi.id == k.id }.map(\.period) + actuals.filter { $0.$kpi.id == k.id }.map(\.period)).sorted()
            for period in periods {
                let target = targets.first { $0.$kpi.id == k.id && $0.period == period }
                let actual = actuals.first { $0.$kpi.id == k.id && $0.period == period }
                kpiRows.append([.text(p.title), .text(k.name), .text(k.unit), .text(period), Spreadsheet.number(target?.target),
                                Spreadsheet.number(actual?.value), Spreadsheet.text(actual?.note)])
            }
        }
        return [
            Spreadsheet.Table(name: t["programmes_title"],
                  headers: ["export_col_title", "export_col_pillar", "export_col_horizon", "export_col_agency", "export_col_start",
                            "export_col_end", "export_col_status", "export_col_progress", "export_col_quick_win",
                            "export_col_apbd", "export_col_other", "export_col_public", "export_col_description"].map { t[$0] },
                  rows: rows, widths: [44, 12, 14, 12, 8, 8, 12, 10, 10, 18, 18, 8, 60]),
            Spreadsheet.Table(name: "KPI",
                  headers: ["export_col_programme", "export_col_kpi", "export_col_unit", "export_col_period", "layer_target",
                            "export_col_actual", "export_col_note"].map { t[$0] },
                  rows: kpiRows, widths: [40, 36, 12, 10, 12, 12, 40]),
        ]
    }}
