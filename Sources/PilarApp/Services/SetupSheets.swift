import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// A region's agencies and users set up from spreadsheets, like the KPI sheet: download the sheet
/// (with what is there already), fill it in Excel or LibreOffice, upload it back. Every row is
/// checked first; one problem anywhere refuses the whole sheet (each problem named by row and
/// column) and changes nothing; a good sheet creates and updates in one transaction.
enum SetupSheets {
    typealias Problem = KPISheetResultPage.Problem

    static let agencySheet = "Perangkat daerah"
    static let agencyHeaders = ["Kode", "Nama", "Jabatan kepala"]
    static let userSheet = "Pengguna"
    static let userHeaders = ["Nama pengguna", "Nama tampilan", "Peran", "Kode perangkat daerah", "E-mail"]
    /// More rows than a province's region has agencies or users: a sheet beyond it is not a set-up sheet.
    static let maxRows = 2000

    /// A checked agency row: a new agency, or new values for one that exists.
    struct AgencyRow: Equatable {
        var line: Int
        var code: String
        var name: String
        var headTitle: String
    }

    /// A checked user row; `username` carries the region's prefix.
    struct UserRow: Equatable {
        var line: Int
        var username: String
        var displayName: String
        var role: Role
        var agencyCode: String?
        var email: String?
    }

    /// The rows of `cells` without the header and without empty rows, each with its line number
    /// (1-based, as the spreadsheet shows it) and its cells trimmed; or the header's problem.
    static func rows(_ cells: [[String?]], headers: [String], t: Catalog.Strings) -> ([(Int, [String])], [Problem]) {
        guard (cells.first ?? []).prefix(headers.count).map({ ($0 ?? "").trimmingCharacters(in: .whitespaces) }) == headers else {
            return ([], [Problem(row: 1, column: "A", message: t.format("sheet_header", ["headers": headers.joined(separator: ", ")]))])
        }
        guard cells.count <= maxRows + 1 else {
            return ([], [Problem(row: maxRows + 2, column: "A", message: t.format("sheet_too_many_rows", ["max": String(maxRows)]))])
        }
        var out: [(Int, [String])] = []
        for (index, row) in cells.enumerated().dropFirst() {
            let values = (0..<headers.count).map { c in c < row.count ? (row[c] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) : "" }
            if values.allSatisfy(\.isEmpty) { continue }
            out.append((index + 1, values))
        }
        return (out, [])
    }

    /// Checks the agency sheet's rows: a code as on the agencies page, unique in the sheet; a name;
    /// a head's title of at most 200 characters.
    static func checkAgencies(_ cells: [[String?]], t: Catalog.Strings) -> ([AgencyRow], [Problem]) {
        let (rows, headerProblems) = rows(cells, headers: agencyHeaders, t: t)
        var problems = headerProblems
        var out: [AgencyRow] = []
        var seen: [String: Int] = [:]
        for (line, v) in rows {
            let code = v[0].uppercased()
            var ok = true
            func problem(_ column: String, _ message: String) { problems.append(Problem(row: line, column: column, message: message)); ok = false }
            if code.range(of: #"^[A-Z0-9][A-Z0-9_.-]{1,31}$"#, options: .regularExpression) == nil {
                problem("A", t.format("sheet_agency_code", ["value": v[0]]))
            } else if let first = seen[code] {
                problem("A", t.format("sheet_duplicate", ["value": code, "row": String(first)]))
            }
            seen[code] = seen[code] ?? line
            if v[1].isEmpty { problem("B", t["setup_required"]) } else if v[1].count > 200 { problem("B", t["setup_too_long"]) }
            if v[2].count > 200 { problem("C", t["setup_too_long"]) }
            if ok { out.append(AgencyRow(line: line, code: code, name: v[1], headTitle: v[2])) }
        }
        return (out, problems)
    }

    /// Checks the user sheet's rows against the region: a user name (the region's prefix added),
    /// unique in the sheet and not another region's; a display name; a region role the uploader may
    /// give (only an admin gives the admin role); an agency code of the region (needed for the agency
    /// role); an e-mail address of the usual form, when given.
    static func checkUsers(
        _ cells: [[String?]], t: Catalog.Strings, prefix: String, grantable: [Role], agencyCodes: Set<String>,
        takenElsewhere: Set<String>
    ) -> ([UserRow], [Problem]) {
        let (rows, headerProblems) = rows(cells, headers: userHeaders, t: t)
        var problems = headerProblems
        var out: [UserRow] = []
        var seen: [String: Int] = [:]
        for (line, v) in rows {
            var ok = true
            func problem(_ column: String, _ message: String) { problems.append(Problem(row: line, column: column, message: message)); ok = false }
            let username = Usernames.qualified(v[0], prefix: prefix)
            if (try? Accounts.validateUsername(username)) == nil || v[0].isEmpty {
                problem("A", t.format("sheet_username", ["value": v[0]]))
            } else if let first = seen[username] {
                problem("A", t.format("sheet_duplicate", ["value": username, "row": String(first)]))
            } else if takenElsewhere.contains(username) {
                problem("A", t.format("setup_username_taken", ["username": username]))
            }
            seen[username] = seen[username] ?? line
            if v[1].isEmpty { problem("B", t["setup_required"]) } else if v[1].count > 120 { problem("B", t["setup_too_long"]) }
            let role = Role(rawValue: v[2].lowercased())
            if role == nil || !grantable.contains(role!) {
                problem("C", t.format("sheet_role", ["value": v[2], "roles": grantable.map(\.rawValue).joined(separator: ", ")]))
            }
            let agency = v[3].isEmpty ? nil : v[3].uppercased()
            if let agency, !agencyCodes.contains(agency) {
                problem("D", t.format("sheet_agency_unknown", ["value": v[3]]))
            } else if agency == nil, role == .agency {
                problem("D", t["setup_agency_required"])
            }
            let email = v[4].isEmpty ? nil : v[4].lowercased()
            if let email, email.count > 200 || email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
                problem("E", t.format("sheet_email", ["value": v[4]]))
            }
            if ok, let role { out.append(UserRow(line: line, username: username, displayName: v[1], role: role, agencyCode: agency, email: email)) }
        }
        return (out, problems)
    }

    /// An XLSX download with its sheet and a help sheet.
    static func download(_ rows: [[XLSX.Cell]], sheet: String, widths: [Double], help: [String], filename: String) throws -> Response {
        let data = try XLSX.write([
            XLSX.Sheet(name: sheet, rows: rows, widths: widths),
            XLSX.Sheet(name: "Petunjuk", rows: help.map { [.text($0)] }, widths: [110]),
        ])
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
