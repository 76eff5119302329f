import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/agencies`: the region's agencies (OPD) — list, add, change.
enum AgencyAdminController {
    struct Row: Encodable {
        var id: String
        var code: String
        var name: String
        var headTitle: String
        var isCoordinator: Bool
        var users: Int
        var action: String
        /// Open with the typed values and errors when a change to this row was refused.
        var form: [String: String]
        var errors: [String: String]
        var open: Bool
    }

    struct Page: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var form: [String: String]
        var errors: [String: String]
        var saved: String?
        var createAction: String
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try await render(req, saved: try? req.query.get(String.self, at: "saved"))
    }

    static func render(
        _ req: Request, form: [String: String] = [:], errors: [String: String] = [:], rowID: UUID? = nil,
        saved: String? = nil
    ) async throws -> View {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let users = try await User.query(on: req.db).filter(\.$region.$id == region.requireID()).all()
        var counts: [UUID: Int] = [:]
        for u in users { if let a = u.$agency.id { counts[a, default: 0] += 1 } }
        let rows = agencies.map { a in
            let isEdited = rowID != nil && a.id == rowID
            return Row(id: a.id?.uuidString ?? "", code: a.code, name: a.name, headTitle: a.headTitle,
                       isCoordinator: a.isCoordinator, users: a.id.flatMap { counts[$0] } ?? 0,
                       action: SiteURL.adminAgency(id: a.id ?? UUID()).path,
                       form: isEdited ? form : ["code": a.code, "name": a.name, "head_title": a.headTitle],
                       errors: isEdited ? errors : [:], open: isEdited)
        }
        let page = Page(page: PageChrome(request: req, title: t["setup_agencies"]), tabs: try Setup.tabs(req), rows: rows,
                        form: rowID == nil ? form : [:], errors: rowID == nil ? errors : [:],
                        saved: saved.flatMap { ["created", "updated"].contains($0) ? t["setup_saved_\($0)"] : nil },
                        createAction: SiteURL.adminAgencies.path)
        return try await req.view.render("setup_agencies", page)
    }

    /// Checks the fields; the problems are keyed by field.
    static func validate(_ form: [String: String], t: Catalog.Strings, region: Region, except id: UUID?, on db: any Database)
        async throws -> [String: String]
    {
        var errors: [String: String] = [:]
        let code = form["code"] ?? ""
        if code.range(of: #"^[A-Z0-9][A-Z0-9_.-]{1,31}$"#, options: .regularExpression) == nil {
            errors["code"] = t["setup_agency_code_invalid"]
        } else {
            let regionID = try region.requireID()
            var query = Agency.query(on: db).filter(\.$region.$id == regionID).filter(\.$code == code)
            if let id { query = query.filter(\.$id != id) }
            if try await query.first() != nil { errors["code"] = t.format("setup_agency_code_taken", ["code": code]) }
        }
        let name = form["name"] ?? ""
        if name.isEmpty { errors["name"] = t["setup_required"] }
        if name.count > 200 { errors["name"] = t["setup_too_long"] }
        if (form["head_title"] ?? "").count > 200 { errors["head_title"] = t["setup_too_long"] }
        return errors
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        var form = try Setup.fields(req)
        form["code"] = form["code"]?.uppercased()
        let errors = try await validate(form, t: req.t, region: region, except: nil, on: req.db)
        guard errors.isEmpty else {
            return try await render(req, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let regionID = try region.requireID()
        let agency = Agency(regionID: regionID, code: form["code"] ?? "", name: form["name"] ?? "",
                            headTitle: form["head_title"] ?? "")
        try await req.db.writeTransaction { tx in
            try await agency.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: nil, entity: "agency", key: agency.code,
                                      action: "create", changes: [
                                          .init(field: "name", before: nil, after: agency.name),
                                          .init(field: "head_title", before: nil, after: agency.headTitle.isEmpty ? nil : agency.headTitle),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.adminAgencies.path + "?saved=created")
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let agency = try await Agency.find(id, on: req.db),
              agency.$region.id == region.id else { throw Abort(.notFound) }
        var form = try Setup.fields(req)
        form["code"] = form["code"]?.uppercased()
        let errors = try await validate(form, t: req.t, region: region, except: id, on: req.db)
        guard errors.isEmpty else {
            return try await render(req, form: form, errors: errors, rowID: id).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let before = (agency.code, agency.name, agency.headTitle)
        agency.code = form["code"] ?? agency.code
        agency.name = form["name"] ?? agency.name
        agency.headTitle = form["head_title"] ?? ""
        try await req.db.writeTransaction { tx in
            try await agency.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "agency", key: agency.code,
                                      action: "update", changes: [
                                          .init(field: "code", before: before.0, after: agency.code),
                                          .init(field: "name", before: before.1, after: agency.name),
                                          .init(field: "head_title", before: before.2, after: agency.headTitle),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.adminAgencies.path + "?saved=updated")
    }
}
