import Foundation
import PilarCore
import SQLKit
import Vapor

/// `/operator/reviewers`'s page: each reviewer with its regions, and the form for a new one.
enum OperatorReviewersPage {
    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var form: OperatorReviewersController.Form
        var errors: [String: String]
        var regions: [Setup.Check]
        var issued: OperatorRegionsController.Issued?
        var saved: Bool
        var action: String
    }

    struct Row: Encodable {
        var username: String
        var name: String
        var active: Bool
        var regionNames: String
        var regions: [Setup.Check]
        var action: String
        var errors: [String: String]
    }

    struct ReviewerRow: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var username: String
        var displayName: String
        var active: Bool
        enum CodingKeys: String, CodingKey, CaseIterable { case id, username, displayName = "display_name", active }
    }

    struct GrantRow: SelectedRow {
        typealias Columns = CodingKeys
        var userID: UUID
        var regionID: UUID
        enum CodingKeys: String, CodingKey, CaseIterable { case userID = "user_id", regionID = "region_id" }
    }

    static func build(_ req: Request, rowID: UUID? = nil, form: OperatorReviewersController.Form = .init(),
                      errors: [String: String] = [:], issued: OperatorRegionsController.Issued? = nil) async throws -> Context {
        try req.authorize(.manageInstallation)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let t = req.t
        let regions = try await OperatorRegionsPage.regions(sql)
        let reviewers = try await sql.select().columns(of: ReviewerRow.self).from(User.schema)
            .where("role", .equal, SQLBind(Role.reviewer.rawValue)).orderBy("username").all(decoding: ReviewerRow.self)
        let grants = try await sql.select().columns(of: GrantRow.self).from(ReviewerRegion.schema).all(decoding: GrantRow.self)
        var granted: [UUID: Set<UUID>] = [:]
        for g in grants { granted[g.userID, default: []].insert(g.regionID) }
        let rows = reviewers.map { r -> Row in
            let mine = granted[r.id] ?? []
            let edited = r.id == rowID
            let checked = edited ? Set(form.regions ?? []) : Set(regions.filter { mine.contains($0.id) }.map(\.code))
            return Row(username: r.username, name: r.displayName, active: r.active,
                       regionNames: regions.filter { mine.contains($0.id) }.map(\.name).joined(separator: ", "),
                       regions: regions.map { Setup.Check(value: $0.code, label: $0.name, checked: checked.contains($0.code)) },
                       action: SiteURL.operatorReviewer(id: r.id).path, errors: edited ? errors : [:])
        }
        let chosen = rowID == nil ? Set(form.regions ?? []) : []
        return Context(
            page: PageChrome(request: req, title: t["operator_reviewers"]), tabs: OperatorRegionsPage.tabs(req), rows: rows,
            form: rowID == nil && issued == nil ? form : .init(), errors: rowID == nil ? errors : [:],
            regions: regions.map { Setup.Check(value: $0.code, label: $0.name, checked: chosen.contains($0.code)) },
            issued: issued, saved: (try? req.query.get(String.self, at: "saved")) == "1", action: SiteURL.operatorReviewers.path)
    }
}
