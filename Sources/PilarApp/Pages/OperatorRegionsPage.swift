import Foundation
import PilarCore
import SQLKit
import Vapor

/// `/operator/regions`'s page: the installation's regions and the form for a new one.
enum OperatorRegionsPage {
    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var form: OperatorRegionsController.Form
        var errors: [String: String]
        var kinds: [Setup.Option]
        var timeZones: [Setup.Option]
        var issued: OperatorRegionsController.Issued?
        var created: String?
        var action: String
    }

    struct Row: Encodable {
        var code: String
        var name: String
        var kind: String
        var province: String
        var zone: String
        var users: Int
        var admins: String
    }

    struct RegionRow: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var code: String
        var name: String
        var kind: String
        var province: String
        var timeZone: String
        enum CodingKeys: String, CodingKey, CaseIterable { case id, code, name, kind, province, timeZone = "time_zone" }
    }

    struct AdminRow: SelectedRow {
        typealias Columns = CodingKeys
        var regionID: UUID
        var username: String
        enum CodingKeys: String, CodingKey, CaseIterable { case regionID = "region_id", username }
    }

    struct CountRow: Decodable {
        var region_id: UUID
        var n: Int
    }

    /// The operator's tabs.
    static func tabs(_ req: Request) -> [PageChrome.NavItem] {
        let path = req.url.path
        return [(SiteURL.operatorRegions, "operator_regions"), (.operatorReviewers, "operator_reviewers")].map {
            PageChrome.NavItem(href: $0.0.path, label: req.t[$0.1], current: path.hasPrefix($0.0.path))
        }
    }

    /// The regions by code, as the operator's pages list them.
    static func regions(_ sql: any SQLDatabase) async throws -> [RegionRow] {
        try await sql.select().columns(of: RegionRow.self).from(Region.schema).orderBy("code").all(decoding: RegionRow.self)
    }

    static func build(_ req: Request, form: OperatorRegionsController.Form = .init(), errors: [String: String] = [:],
                      issued: OperatorRegionsController.Issued? = nil, created: String? = nil) async throws -> Context {
        try req.authorize(.manageInstallation)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let t = req.t
        // Users counted per region in SQL; only the admins' names are read.
        let counted = try await sql.select().column("region_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(User.schema).where("region_id", .isNot, SQLLiteral.null).groupBy("region_id").all(decoding: CountRow.self)
        let counts = Dictionary(counted.map { ($0.region_id, $0.n) }, uniquingKeysWith: { a, _ in a })
        var admins: [UUID: [String]] = [:]
        for a in try await sql.select().columns(of: AdminRow.self).from(User.schema).where("region_id", .isNot, SQLLiteral.null)
            .where("role", .equal, SQLBind(Role.admin.rawValue)).all(decoding: AdminRow.self) {
            admins[a.regionID, default: []].append(a.username)
        }
        let rows = try await regions(sql).map { r in
            Row(code: r.code, name: r.name, kind: t["region_kind_\(r.kind)"], province: r.province, zone: Regions.zoneLabel(r.timeZone, t),
                users: counts[r.id] ?? 0, admins: (admins[r.id] ?? []).sorted().joined(separator: ", "))
        }
        let choices = Regions.choices(kind: form.kind, zone: form.timeZone, t)
        return Context(
            page: PageChrome(request: req, title: t["operator_regions"]), tabs: tabs(req), rows: rows,
            form: issued == nil ? form : .init(), errors: errors,
            kinds: choices.kinds, timeZones: choices.zones,
            issued: issued, created: created, action: SiteURL.operatorRegions.path)
    }
}
