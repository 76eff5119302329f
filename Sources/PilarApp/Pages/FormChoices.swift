import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// What the pages share for their forms: the set-up tabs, the region's agencies as choices, a
/// select's options and a checkbox list's boxes.
enum Setup {
    /// The set-up tabs the signed-in user may open.
    static func tabs(_ req: Request) throws -> [PageChrome.NavItem] {
        let actor = try req.actor()
        let t = req.t
        var items: [(SiteURL, String)] = []
        if AccessPolicy.allows(actor, .manageRegion) { items.append((.adminRegion, "setup_region")) }
        if AccessPolicy.allows(actor, .manageRegion) { items.append((.adminAgencies, "setup_agencies")) }
        if AccessPolicy.allows(actor, .manageUsers) { items.append((.adminUsers, "setup_users")) }
        if AccessPolicy.allows(actor, .manageRegion) { items.append((.adminPillars, "setup_pillars")) }
        if AccessPolicy.allows(actor, .manageCycles) { items.append((.adminCycles, "setup_cycles")) }
        let path = req.url.path
        return items.map { PageChrome.NavItem(href: $0.0.path, label: t[$0.1], current: path.hasPrefix($0.0.path)) }
    }

    /// The first set-up page the user may open, for the main navigation.
    static func entry(for actor: AccessPolicy.Actor) -> SiteURL? {
        if AccessPolicy.allows(actor, .manageRegion) { return .adminAgencies }
        if AccessPolicy.allows(actor, .manageUsers) { return .adminUsers }
        if AccessPolicy.allows(actor, .manageCycles) { return .adminCycles }
        return nil
    }

    /// The agencies of the region by code, for selects.
    /// The region's agencies by code, as the pages list and choose them (a column select: a
    /// province's region has hundreds).
    static func agencies(_ req: Request, region: Region) async throws -> [AgencyRow] {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return try await sql.select().columns(of: AgencyRow.self).from(Agency.schema)
            .where("region_id", .equal, SQLBind(try region.requireID())).orderBy("code").all(decoding: AgencyRow.self)
    }

    /// How many users each agency of the region has, counted in SQL.
    static func userCounts(_ db: any Database, region: UUID) async throws -> [UUID: Int] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        struct Count: Decodable { var agency_id: UUID; var n: Int }
        let rows = try await sql.select().column("agency_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(User.schema).where("region_id", .equal, SQLBind(region)).where("agency_id", .isNot, SQLLiteral.null)
            .groupBy("agency_id").all(decoding: Count.self)
        return Dictionary(rows.map { ($0.agency_id, $0.n) }, uniquingKeysWith: { a, _ in a })
    }

    /// The region's coordinating agency, when one is marked.
    static func coordinatingAgency(_ db: any Database, region: UUID) async throws -> AgencyRow? {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return try await sql.select().columns(of: AgencyRow.self).from(Agency.schema)
            .where("region_id", .equal, SQLBind(region)).where("is_coordinator", .equal, SQLBind(true))
            .first(decoding: AgencyRow.self)
    }

    /// An agency as lists and choices show it.
    struct AgencyRow: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID?
        var code: String
        var name: String
        var headTitle: String
        var isCoordinator: Bool
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, code, name, headTitle = "head_title", isCoordinator = "is_coordinator"
        }

        func requireID() throws -> UUID {
            guard let id else { throw Abort(.internalServerError) }
            return id
        }
    }

    /// One choice of a select.
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// A set-up sheet's download link and upload address (the CSRF token in the URL: it streams).
    struct SheetLinks: Encodable {
        var download: String
        var upload: String

        init(_ url: SiteURL, _ req: Request) {
            download = url.path
            upload = url.path(query: ["_csrf": req.csrfToken])
        }
    }

    /// One box of a checkbox list.
    struct Check: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    /// Agency codes by id, for tables that show an agency by its code.
    /// The region's agencies' codes by id, read as two columns (a region may have hundreds).
    static func agencyCodes(_ db: any Database, region: UUID) async throws -> [UUID: String] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.select().columns(of: AgencyCode.self).from(Agency.schema)
            .where("region_id", .equal, SQLBind(region)).all(decoding: AgencyCode.self)
        return Dictionary(rows.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
    }

    /// The codes of the agencies `ids` (the rows a list shows), whatever the region's size.
    static func agencyCodes(_ db: any Database, ids: some Collection<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("SELECT id, code FROM agencies WHERE id IN (\(binds: Array(Set(ids))))")
            .all(decoding: AgencyCode.self)
        return Dictionary(rows.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
    }

    private struct AgencyCode: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var code: String
        enum CodingKeys: String, CodingKey, CaseIterable { case id, code }
    }

    static func codes(_ agencies: [AgencyRow]) -> [UUID: String] {
        Dictionary(agencies.compactMap { a in a.id.map { ($0, a.code) } }, uniquingKeysWith: { a, _ in a })
    }

    static func agencyOptions(_ agencies: [AgencyRow], selected: String?, empty: String?) -> [Option] {
        var list: [Option] = []
        if let empty { list.append(Option(value: "", label: empty, selected: (selected ?? "").isEmpty)) }
        for a in agencies {
            let id = a.id?.uuidString ?? ""
            list.append(Option(value: id, label: "\(a.code) — \(a.name)", selected: id == selected))
        }
        return list
    }
}
