import Fluent
import Foundation
import PilarCore
import Vapor

/// The KPI spreadsheet round-trip: an agency downloads the realisation sheet of its programmes'
/// KPIs for a year (`GET /programmes/kpis.xlsx?year=`), fills it in Excel, and uploads it back
/// (`POST /programmes/kpis.xlsx`). Every row is checked first; a sheet with any problem is refused
/// with the row and column of each one, and nothing changes.
enum KPISheetController {
    static let sheetName = "Realisasi"
    static let headers = ["ID KPI", "Program", "KPI", "Satuan", "Periode", "Target", "Realisasi", "Catatan"]
    /// Uploaded sheets are small; anything larger is not a KPI sheet.
    static let maxBytes: Int64 = 5 * 1024 * 1024

    /// The KPIs the signed-in user may fill in: its agency's programmes (the coordinator: all).
    static func editable(_ req: Request, region: Region) async throws -> [(Programme, KPI)] {
        let actor = try req.actor()
        guard let scope = AccessPolicy.scope(actor.role, .editProgramme) else { throw Abort(.forbidden) }
        var query = Programme.query(on: req.db).filter(\.$region.$id == (try region.requireID()))
        if scope != .region {
            guard let own = actor.agencyID.flatMap(UUID.init(uuidString:)) else { throw Abort(.forbidden) }
            query = query.filter(\.$owner.$id == own)
        }
        let programmes = try await query.sort(\.$title).all()
        let ids = programmes.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let kpis = try await KPI.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$position).all()
        return programmes.flatMap { p in kpis.filter { $0.$programme.id == p.id }.map { (p, $0) } }
    }

    @Sendable static func download(_ req: Request) async throws -> Response {
        try req.authorize(.editProgramme)
        let t = req.t
        let region = try await req.currentRegion()
        let year = (try? req.query.get(Int.self, at: "year")) ?? Int(req.today(in: region.zone).prefix(4))!
        guard FieldErrors.years.contains(year) else { throw Abort(.badRequest, reason: "setup_year_invalid") }
        let pairs = try await editable(req, region: region)
        let ids = pairs.compactMap { $0.1.id }
        let targets = ids.isEmpty ? [] : try await KPITarget.query(on: req.db).filter(\.$kpi.$id ~~ ids).all()
        let actuals = ids.isEmpty ? [] : try await KPIRealisation.query(on: req.db).filter(\.$kpi.$id ~~ ids).all()
        var rows: [[XLSX.Cell]] = [headers.map { .text($0) }]
        for (p, k) in pairs where (p.startYear...p.endYear).contains(year) {
            for period in KPIPeriod.all(k.frequency, year: year) {
                let target = targets.first { $0.$kpi.id == k.id && $0.period == period }
                let actual = actuals.first { $0.$kpi.id == k.id && $0.period == period }
                rows.append([.text(try k.requireID().uuidString), .text(p.title), .text(k.name), .text(k.unit), .text(period),
                             target.map { .number($0.target) } ?? .empty, actual.map { .number($0.value) } ?? .empty,
                             actual?.note.map { .text($0) } ?? .empty])
            }
        }
        let help: [[XLSX.Cell]] = [[.text(t["kpi_sheet_help_title"])]] + (1...5).map { [.text(t["kpi_sheet_help_\($0)"])] }
        let data = try XLSX.write([
            XLSX.Sheet(name: sheetName, rows: rows, widths: [38, 36, 34, 12, 10, 12, 12, 40]),
            XLSX.Sheet(name: "Petunjuk", rows: help, widths: [110]),
        ])
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"kpi-\(region.code)-\(year).xlsx\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    typealias Problem = KPISheetResultPage.Problem

    /// One checked row of an uploaded sheet.
    struct Change {
        var programme: Programme
        var kpi: KPI
        var period: String
        var value: Double
        var note: String?
    }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        try req.authorize(.editProgramme)
        let t = req.t
        let region = try await req.currentRegion()
        let store = req.application.blobStore
        func refuse(_ problems: [Problem], message: String? = nil, status: HTTPStatus = .unprocessableEntity) async throws -> Response {
            let page = KPISheetResultPage.build(req, problems: problems, message: message)
            return try await req.view.render("kpi_upload", page).encodeResponse(status: status, for: req)
        }
        let file: MultipartUpload.File
        switch try await EvidenceController.receive(req, store: store, maxBytes: maxBytes, t: t) {
        case let .refused(message, status, _):
            return try await refuse([], message: message, status: status)
        case let .received(_, received):
            file = received
        }
        defer { store.discard(stagedFile: file.temporaryPath) }
        let data = try Data(contentsOf: URL(fileURLWithPath: file.temporaryPath))
        let cells: [[String?]]
        do {
            cells = try XLSX.read(data, sheet: sheetName)
        } catch let error as XLSX.XLSXError {
            return try await refuse([], message: t.format("kpi_sheet_unreadable", ["reason": error.description]))
        }
        let pairs = try await editable(req, region: region)
        let byID = Dictionary(pairs.compactMap { p in p.1.id.map { ($0.uuidString.uppercased(), p) } }, uniquingKeysWith: { a, _ in a })
        var problems: [Problem] = []
        var changes: [Change] = []
        var seen: Set<String> = []
        // An empty sheet, or one whose header was changed, is not Pilar's sheet.
        if (cells.first ?? []).prefix(headers.count).map({ $0 ?? "" }) != headers {
            problems.append(Problem(row: 1, column: "A", message: t["kpi_sheet_header"]))
        }
        for (index, row) in cells.enumerated().dropFirst() {
            let line = index + 1
            func cell(_ c: Int) -> String { c < row.count ? (row[c] ?? "").trimmingCharacters(in: .whitespaces) : "" }
            if row.allSatisfy({ ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let (programme, kpi) = byID[cell(0).uppercased()] else {
                problems.append(Problem(row: line, column: "A", message: t.format("kpi_sheet_unknown_kpi", ["value": cell(0)])))
                continue
            }
            let period = cell(4)
            guard KPIPeriod.accepts(period, frequency: kpi.frequency, years: programme.startYear...programme.endYear) else {
                problems.append(Problem(row: line, column: "E", message: t.format("kpi_sheet_bad_period", ["value": period])))
                continue
            }
            let raw = cell(6)
            if raw.isEmpty { continue } // nothing filled in: left as it is
            guard case let .some(value?) = FieldErrors.parseNumber(raw) else {
                problems.append(Problem(row: line, column: "G", message: t.format("kpi_sheet_bad_number", ["value": raw])))
                continue
            }
            let note = cell(7)
            if note.count > 1000 { problems.append(Problem(row: line, column: "H", message: t["setup_too_long"])); continue }
            let key = "\(try kpi.requireID().uuidString)/\(period)"
            guard seen.insert(key).inserted else {
                problems.append(Problem(row: line, column: "E", message: t.format("kpi_sheet_duplicate", ["value": period])))
                continue
            }
            changes.append(Change(programme: programme, kpi: kpi, period: period, value: value, note: note.isEmpty ? nil : note))
        }
        guard problems.isEmpty else { return try await refuse(problems) }
        let user = try req.requireUser()
        let regionID = try region.requireID()
        let accepted = changes
        try await req.writeTransaction { tx in
            for change in accepted {
                try await KPISave.write(on: tx, kpi: change.kpi, period: change.period, value: change.value, note: change.note,
                                        user: user, regionID: regionID, at: req.now)
            }
        }
        return req.redirect(to: SiteURL.programmes.path(query: ["uploaded": String(accepted.count)]))
    }
}
