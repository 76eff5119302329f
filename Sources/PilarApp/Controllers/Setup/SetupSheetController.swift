import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `/admin/agencies/sheet.xlsx` and `/admin/users/sheet.xlsx`: the region's agencies and users as
/// a spreadsheet to download and upload back (rules in `SetupSheets`). New users get one-time
/// passwords, shown once on a page of printable slips and stored only as bcrypt hashes.
enum SetupSheetController {
    static let maxBytes: Int64 = 5 * 1024 * 1024

    // MARK: Agencies

    @Sendable static func agencyTemplate(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        let rows: [[XLSX.Cell]] = [SetupSheets.agencyHeaders.map { .text($0) }]
            + (try await Setup.agencies(req, region: region)).map { [.text($0.code), .text($0.name), .text($0.headTitle)] }
        let help = (1...4).map { req.t["sheet_agency_help_\($0)"] }
        return try SetupSheets.download(rows, sheet: SetupSheets.agencySheet, widths: [16, 60, 50], help: help,
                                        filename: "perangkat-daerah-\(region.code).xlsx")
    }

    @Sendable static func agencyUpload(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let cells: [[String?]]
        switch try await readSheet(req, name: SetupSheets.agencySheet) {
        case let .refused(response): return response
        case let .read(found): cells = found
        }
        let (rows, problems) = SetupSheets.checkAgencies(cells, t: t)
        guard problems.isEmpty else { return try await refuse(req, problems, back: SiteURL.adminAgencies) }
        let regionID = try region.requireID()
        let user = try req.requireUser()
        let now = req.now
        let (created, updated) = try await req.writeTransaction { tx -> (Int, Int) in
            let existing = try await Agency.query(on: tx).filter(\.$region.$id == regionID).all()
            let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            var created = 0, updated = 0
            for row in rows {
                if let agency = byCode[row.code] {
                    guard agency.name != row.name || agency.headTitle != row.headTitle else { continue }
                    let before = (agency.name, agency.headTitle)
                    agency.name = row.name
                    agency.headTitle = row.headTitle
                    try await agency.save(on: tx)
                    try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "agency", key: row.code,
                                              action: "update", changes: [.init(field: "name", before: before.0, after: row.name),
                                                                          .init(field: "head_title", before: before.1, after: row.headTitle)],
                                              actor: user)
                    updated += 1
                } else {
                    try await Agency(regionID: regionID, code: row.code, name: row.name, headTitle: row.headTitle).create(on: tx)
                    try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "agency", key: row.code,
                                              action: "create", changes: [.init(field: "name", before: nil, after: row.name),
                                                                          .init(field: "head_title", before: nil, after: row.headTitle)],
                                              actor: user)
                    created += 1
                }
            }
            return (created, updated)
        }
        return req.redirect(to: SiteURL.adminAgencies.path(query: ["saved": "imported", "created": String(created), "updated": String(updated)]))
    }

    // MARK: Users

    struct UserCells: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var username: String
        var displayName: String
        var role: String
        var agencyID: UUID?
        var email: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, username, displayName = "display_name", role, agencyID = "agency_id", email
        }
    }

    static func regionUsers(_ req: Request, region: UUID) async throws -> [UserCells] {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return try await sql.select().columns(of: UserCells.self).from(User.schema).where("region_id", .equal, SQLBind(region))
            .orderBy("username").all(decoding: UserCells.self)
    }

    @Sendable static func userTemplate(_ req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let region = try await req.currentRegion()
        let actor = try req.actor()
        let codes = try await Setup.agencyCodes(req.db, region: region.requireID())
        // Those the uploader may not change (admins, for a coordinator) are not in its sheet.
        let users = try await regionUsers(req, region: region.requireID())
            .filter { actor.role == .admin || $0.role != Role.admin.rawValue }
        let rows: [[XLSX.Cell]] = [SetupSheets.userHeaders.map { .text($0) }] + users.map { u in
            [.text(u.username), .text(u.displayName), .text(u.role), u.agencyID.flatMap { codes[$0] }.map { .text($0) } ?? .empty,
             u.email.map { .text($0) } ?? .empty]
        }
        let roles = UserAdminController.grantable(by: actor).map(\.rawValue).joined(separator: ", ")
        let help = (1...5).map { req.t.format("sheet_user_help_\($0)", ["prefix": region.effectiveUsernamePrefix, "roles": roles]) }
        return try SetupSheets.download(rows, sheet: SetupSheets.userSheet, widths: [28, 40, 14, 22, 36], help: help,
                                        filename: "pengguna-\(region.code).xlsx")
    }

    /// A new user's one-time password, for its slip.
    struct Slip: Encodable {
        var username: String
        var displayName: String
        var role: String
        var agency: String?
        var password: String
    }

    @Sendable static func userUpload(_ req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let t = req.t
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        let actor = try req.actor()
        let me = try req.requireUser()
        let cells: [[String?]]
        switch try await readSheet(req, name: SetupSheets.userSheet) {
        case let .refused(response): return response
        case let .read(found): cells = found
        }
        let agencies = try await Setup.agencies(req, region: region)
        let agencyByCode = Dictionary(agencies.compactMap { a in a.id.map { (a.code, $0) } }, uniquingKeysWith: { a, _ in a })
        let mine = try await regionUsers(req, region: regionID)
        let mineByName = Dictionary(mine.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
        // Names in the sheet that belong to someone outside this region.
        let typed = cells.dropFirst().compactMap { $0.first ?? nil }.map { Usernames.qualified($0, prefix: region.effectiveUsernamePrefix) }
        let elsewhere = typed.isEmpty ? [] : try await User.query(on: req.db).filter(\.$username ~~ typed).all()
            .filter { $0.$homeRegion.id != regionID }.map(\.username)
        var (rows, problems) = SetupSheets.checkUsers(
            cells, t: t, prefix: region.effectiveUsernamePrefix, grantable: UserAdminController.grantable(by: actor),
            agencyCodes: Set(agencyByCode.keys), takenElsewhere: Set(elsewhere))
        for row in rows {
            guard let known = mineByName[row.username] else { continue }
            if known.role == Role.admin.rawValue && actor.role != .admin {
                problems.append(.init(row: row.line, column: "C", message: t["setup_role_admin_only"]))
            }
            if known.id == me.id, known.role != row.role.rawValue {
                problems.append(.init(row: row.line, column: "C", message: t["setup_self_role"]))
            }
        }
        problems.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        guard problems.isEmpty else { return try await refuse(req, problems, back: SiteURL.adminUsers) }
        rows = rows.filter { row in
            guard let known = mineByName[row.username] else { return true }
            return known.displayName != row.displayName || known.role != row.role.rawValue
                || known.agencyID != row.agencyCode.flatMap { agencyByCode[$0] } || known.email != row.email
        }
        // The new users' passwords, hashed before the transaction (bcrypt is slow on purpose).
        var slips: [Slip] = []
        var hashes: [String: String] = [:]
        for row in rows where mineByName[row.username] == nil {
            let password = Accounts.randomPassword()
            hashes[row.username] = try await req.password.async.hash(password)
            slips.append(Slip(username: row.username, displayName: row.displayName, role: t["role_\(row.role.rawValue)"],
                              agency: row.agencyCode.flatMap { code in agencies.first { $0.code == code }?.name }, password: password))
        }
        let now = req.now
        let accepted = rows
        let newHashes = hashes
        let codesByID = Dictionary(agencies.compactMap { a in a.id.map { ($0, a.code) } }, uniquingKeysWith: { a, _ in a })
        let updated = try await req.writeTransaction { tx -> Int in
            var updated = 0
            for row in accepted {
                let agencyID = row.agencyCode.flatMap { agencyByCode[$0] }
                if let known = mineByName[row.username], let user = try await User.find(known.id, on: tx) {
                    let changes: [AuditLog.Change] = [
                        .init(field: "display_name", before: user.displayName, after: row.displayName),
                        .init(field: "role", before: user.role.rawValue, after: row.role.rawValue),
                        .init(field: "agency", before: user.$agency.id.flatMap { codesByID[$0] }, after: row.agencyCode),
                        .init(field: "email", before: user.email, after: row.email),
                    ]
                    user.displayName = row.displayName
                    user.role = row.role
                    user.$agency.id = agencyID
                    user.email = row.email
                    try await user.save(on: tx)
                    try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "user", key: row.username,
                                              action: "update", changes: changes, actor: me)
                    updated += 1
                } else if let hash = newHashes[row.username] {
                    let user = User(regionID: regionID, agencyID: agencyID, username: row.username, displayName: row.displayName,
                                    role: row.role, passwordHash: hash)
                    user.email = row.email
                    try await user.create(on: tx)
                    try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "user", key: row.username,
                                              action: "create", changes: [.init(field: "role", before: nil, after: row.role.rawValue),
                                                                          .init(field: "agency", before: nil, after: row.agencyCode)],
                                              actor: me)
                }
            }
            return updated
        }
        let page = UserSlipsPage.build(req, region: region, slips: slips, updated: updated)
        return try await req.renderNotStored("user_slips", page, status: slips.isEmpty ? .ok : .created)
    }

    // MARK: Shared

    enum Sheet {
        case read([[String?]])
        case refused(Response)
    }

    /// The uploaded file's sheet `name` (or its first sheet), or the refusal to send.
    static func readSheet(_ req: Request, name: String) async throws -> Sheet {
        let t = req.t
        let store = req.application.blobStore
        let back: SiteURL = name == SetupSheets.agencySheet ? .adminAgencies : .adminUsers
        switch try await EvidenceController.receive(req, store: store, maxBytes: maxBytes, t: t) {
        case let .refused(message, status, _):
            return .refused(try await refuse(req, [], message: message, back: back, status: status))
        case let .received(_, file):
            defer { store.discard(stagedFile: file.temporaryPath) }
            let data = try Data(contentsOf: URL(fileURLWithPath: file.temporaryPath))
            do {
                return .read(try XLSX.read(data, sheet: name))
            } catch let error as XLSX.XLSXError {
                return .refused(try await refuse(req, [], message: t.format("kpi_sheet_unreadable", ["reason": error.description]), back: back))
            }
        }
    }

    static func refuse(_ req: Request, _ problems: [SetupSheets.Problem], message: String? = nil, back: SiteURL,
                       status: HTTPStatus = .unprocessableEntity) async throws -> Response {
        var page = KPISheetResultPage.build(req, problems: problems, message: message)
        page.page = PageChrome(request: req, title: req.t["sheet_refused"])
        page.listHref = back.path
        page.listLabel = req.t[back == .adminAgencies ? "setup_agencies" : "setup_users"]
        return try await req.view.render("kpi_upload", page).encodeResponse(status: status, for: req)
    }
}
