import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/agencies`: the region's agencies (OPD) — list, add, change.
enum AgencyAdminController {
    struct Form: Content {
        var code: String?
        var name: String?
        var headTitle: String?

        enum CodingKeys: String, CodingKey {
            case code, name, headTitle = "head_title"
        }

        /// The fields trimmed, the code in capitals.
        var normalized: Form {
            func trim(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines) }
            return Form(code: trim(code)?.uppercased(), name: trim(name), headTitle: trim(headTitle))
        }
    }

    struct SavedQuery: Content {
        var saved: String?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        let saved = try? req.query.decode(SavedQuery.self).saved
        return try await req.view.render("setup_agencies", try await AgenciesSetupPage.build(req, saved: saved))
    }

    /// The refused form again, with what was typed and why.
    static func refuse(_ req: Request, _ form: Form, _ errors: [String: String], rowID: UUID? = nil) async throws -> Response {
        let page = try await AgenciesSetupPage.build(req, form: form, errors: errors, rowID: rowID)
        return try await req.view.render("setup_agencies", page).encodeResponse(status: .unprocessableEntity, for: req)
    }

    /// Checks the fields; the problems are keyed by field.
    static func validate(_ form: Form, t: Catalog.Strings, region: Region, except id: UUID?, on db: any Database)
        async throws -> [String: String]
    {
        var checks = FieldErrors()
        checks.text("name", form.name, max: 200, required: true)
        checks.text("head_title", form.headTitle, max: 200)
        var errors = checks.messages(t)
        let code = form.code ?? ""
        if code.range(of: #"^[A-Z0-9][A-Z0-9_.-]{1,31}$"#, options: .regularExpression) == nil {
            errors["code"] = t["setup_agency_code_invalid"]
        } else {
            let regionID = try region.requireID()
            var query = Agency.query(on: db).filter(\.$region.$id == regionID).filter(\.$code == code)
            if let id { query = query.filter(\.$id != id) }
            if try await query.first() != nil { errors["code"] = t.format("setup_agency_code_taken", ["code": code]) }
        }
        return errors
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        let form = try req.content.decode(Form.self).normalized
        let errors = try await validate(form, t: req.t, region: region, except: nil, on: req.db)
        guard errors.isEmpty else { return try await refuse(req, form, errors) }
        let user = try req.requireUser()
        let regionID = try region.requireID()
        let agency = Agency(regionID: regionID, code: form.code ?? "", name: form.name ?? "", headTitle: form.headTitle ?? "")
        try await req.writeTransaction { tx in
            try await agency.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: nil, entity: "agency", key: agency.code,
                                      action: "create", changes: [
                                          .init(field: "name", before: nil, after: agency.name),
                                          .init(field: "head_title", before: nil, after: agency.headTitle.isEmpty ? nil : agency.headTitle),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.adminAgencies.path(query: ["saved": "created"]))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let agency = try await Agency.find(id, on: req.db),
              agency.$region.id == region.id else { throw Abort(.notFound) }
        let form = try req.content.decode(Form.self).normalized
        let errors = try await validate(form, t: req.t, region: region, except: id, on: req.db)
        guard errors.isEmpty else { return try await refuse(req, form, errors, rowID: id) }
        let user = try req.requireUser()
        let before = (agency.code, agency.name, agency.headTitle)
        agency.code = form.code ?? agency.code
        agency.name = form.name ?? agency.name
        agency.headTitle = form.headTitle ?? ""
        try await req.writeTransaction { tx in
            try await agency.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "agency", key: agency.code,
                                      action: "update", changes: [
                                          .init(field: "code", before: before.0, after: agency.code),
                                          .init(field: "name", before: before.1, after: agency.name),
                                          .init(field: "head_title", before: before.2, after: agency.headTitle),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.adminAgencies.path(query: ["saved": "updated"]))
    }

    /// `POST /admin/agencies/{id}/coordinator`: this agency is the region's coordinating agency
    /// (Diskominfo in most cities) and the one that was is no longer — there is exactly one, which a
    /// unique index keeps on both databases (`M0023_OneCoordinatingAgency`).
    @Sendable static func markCoordinator(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        guard let id = req.parameters.get("id", as: UUID.self), let agency = try await Agency.find(id, on: req.db),
              agency.$region.id == regionID else { throw Abort(.notFound) }
        guard !agency.isCoordinator else { return req.redirect(to: SiteURL.adminAgencies.path(query: ["saved": "coordinator"])) }
        let user = try req.requireUser()
        let previous = try await Agency.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$isCoordinator == true).first()
        try await req.writeTransaction { tx in
            // The old one first: the index allows one coordinator per region at any moment.
            try await Agency.query(on: tx).filter(\.$region.$id == regionID).filter(\.$isCoordinator == true)
                .set(\.$isCoordinator, to: false).update()
            try await Agency.query(on: tx).filter(\.$id == id).set(\.$isCoordinator, to: true).update()
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: nil, entity: "region", key: region.code,
                                      action: "update", changes: [
                                          .init(field: "coordinating_agency", before: previous?.code, after: agency.code),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.adminAgencies.path(query: ["saved": "coordinator"]))
    }
}
