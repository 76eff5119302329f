import Foundation
import PilarCore
import Vapor

/// The downloads' tables as a response: the XLSX holds every table as a sheet; the CSV holds the
/// first table (UTF-8 with a byte-order mark so Excel reads the accents, cells that would start a
/// formula prefixed with `'`).
enum Spreadsheet {
    struct Table {
        var name: String
        var headers: [String]
        var rows: [[XLSX.Cell]]
        var widths: [Double]
    }

    static func response(_ tables: [Table], format: SiteURL.ExportFormat, filename: String) throws -> Response {
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
}
