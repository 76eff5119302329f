import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/users`: the region's users — add (with a one-time password), change role, agency and
/// name, deactivate and reactivate, reset a password. Only an admin grants or changes the admin role.
enum UserAdminController {
    struct Row: Encodable {
        var id: String
        var username: String
        var name: String
        var role: String
        var agency: String?
        var active: Bool
        var locked: Bool
        var isSelf: Bool
        var editable: Bool
        var action: String
        var resetAction: String
        var roles: [Setup.Option]
        var agencies: [Setup.Option]
        var form: [String: String]
        var errors: [String: String]
        var open: Bool
    }

    struct Page: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var roles: [Setup.Option]
        var agencies: [Setup.Option]
        var form: [String: String]
        var errors: [String: String]
        var saved: String?
        /// A new or reset password, shown once.
        var issued: Issued?
        var createAction: String
        /// "names start with kediri." under the username field.
        var usernameHint: String
    }

    struct Issued: Encodable {
        var username: String
        var password: String
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try await render(req, saved: try? req.query.get(String.self, at: "saved"))
    }

    /// Roles the signed-in user may hand out.
    static func grantable(by actor: AccessPolicy.Actor) -> [Role] {
        actor.role == .admin ? Role.allCases : Role.allCases.filter { $0 != .admin }
    }

    static func render(
        _ req: Request, form: [String: String] = [:], errors: [String: String] = [:], rowID: UUID? = nil,
        saved: String? = nil, issued: Issued? = nil
    ) async throws -> View {
        try req.authorize(.manageUsers)
        let t = req.t
        let actor = try req.actor()
        let me = try req.requireUser()
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let byID = Dictionary(agencies.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        let users = try await User.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$username).all()
        let roles = grantable(by: actor)
        func roleOptions(_ selected: String?) -> [Setup.Option] {
            roles.map { Setup.Option(value: $0.rawValue, label: t["role_\($0.rawValue)"], selected: $0.rawValue == selected) }
        }
        let now = req.now
        let rows = users.map { u in
            let isEdited = rowID != nil && u.id == rowID
            let current: [String: String] = ["display_name": u.displayName, "role": u.role,
                                             "agency": u.$agency.id?.uuidString ?? "", "active": u.active ? "1" : ""]
            let shown = isEdited ? form : current
            return Row(id: u.id?.uuidString ?? "", username: u.username, name: u.displayName,
                       role: t["role_\(u.role)"], agency: u.$agency.id.flatMap { byID[$0]?.code }, active: u.active,
                       locked: (u.lockedUntil ?? .distantPast) > now, isSelf: u.id == me.id,
                       editable: actor.role == .admin || u.role != Role.admin.rawValue,
                       action: SiteURL.adminUser(id: u.id ?? UUID()).path,
                       resetAction: SiteURL.adminUserReset(id: u.id ?? UUID()).path,
                       roles: roleOptions(shown["role"]),
                       agencies: Setup.agencyOptions(agencies, selected: shown["agency"], empty: t["setup_no_agency"]),
                       form: shown, errors: isEdited ? errors : [:], open: isEdited)
        }
        let createForm = rowID == nil ? form : [:]
        let page = Page(
            page: PageChrome(request: req, title: t["setup_users"]), tabs: try Setup.tabs(req), rows: rows,
            roles: roleOptions(createForm["role"] ?? Role.agency.rawValue),
            agencies: Setup.agencyOptions(agencies, selected: createForm["agency"], empty: t["setup_no_agency"]),
            form: createForm, errors: rowID == nil ? errors : [:],
            saved: saved.flatMap { ["updated"].contains($0) ? t["setup_saved_\($0)"] : nil }, issued: issued,
            createAction: SiteURL.adminUsers.path,
            usernameHint: t.format("setup_username_hint", ["prefix": region.effectiveUsernamePrefix]))
        return try await req.view.render("setup_users", page)
    }

    /// Checks name, role and agency; the problems are keyed by field.
    static func validate(_ form: [String: String], req: Request, region: Region) async throws -> (Role?, Agency?, [String: String]) {
        let t = req.t
        let actor = try req.actor()
        var errors: [String: String] = [:]
        let name = form["display_name"] ?? ""
        if name.isEmpty { errors["display_name"] = t["setup_required"] }
        if name.count > 120 { errors["display_name"] = t["setup_too_long"] }
        let role = Role(rawValue: form["role"] ?? "")
        if role == nil { errors["role"] = t["setup_role_unknown"] }
        if role == .admin && actor.role != .admin { errors["role"] = t["setup_role_admin_only"] }
        var agency: Agency?
        if let raw = form["agency"], !raw.isEmpty {
            if let id = UUID(uuidString: raw), let found = try await Agency.find(id, on: req.db), found.$region.id == region.id {
                agency = found
            } else {
                errors["agency"] = t["setup_agency_unknown"]
            }
        }
        if role == .agency && agency == nil && errors["agency"] == nil { errors["agency"] = t["setup_agency_required"] }
        return (role, agency, errors)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let t = req.t
        let region = try await req.currentRegion()
        var form = try Setup.fields(req)
        // The region's prefix goes in front (`kediri.` + `dinsos`): a name can only be taken in this region.
        let username = Usernames.qualified(form["username"] ?? "", prefix: region.effectiveUsernamePrefix)
        form["username"] = username
        var (role, agency, errors) = try await validate(form, req: req, region: region)
        do {
            try Accounts.validateUsername(username)
            if try await User.query(on: req.db).filter(\.$username == username).first() != nil {
                errors["username"] = t.format("setup_username_taken", ["username": username])
            }
        } catch {
            errors["username"] = t["setup_username_invalid"]
        }
        guard errors.isEmpty, let role else {
            return try await render(req, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let password = Accounts.randomPassword()
        let me = try req.requireUser()
        let regionID = try region.requireID()
        let (chosenAgency, displayName) = (agency, form["display_name"] ?? "")
        try await req.db.writeTransaction { tx in
            let user = try await Accounts.create(app: req.application, on: tx, region: region, agency: chosenAgency,
                                                 username: username, displayName: displayName,
                                                 role: role, password: password)
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: nil, entity: "user", key: user.username,
                                      action: "create", changes: [
                                          .init(field: "role", before: nil, after: role.rawValue),
                                          .init(field: "agency", before: nil, after: chosenAgency?.code),
                                      ], actor: me)
        }
        return try await render(req, issued: Issued(username: username, password: password))
            .encodeResponse(status: .created, for: req)
    }

    /// The user `:id` of the signed-in user's region that the signed-in user may change, or 404/403.
    static func target(_ req: Request, region: Region) async throws -> User {
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await User.find(id, on: req.db),
              user.$region.id == region.id else { throw Abort(.notFound) }
        let actor = try req.actor()
        if user.role == Role.admin.rawValue && actor.role != .admin { throw Abort(.forbidden) }
        return user
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let t = req.t
        let region = try await req.currentRegion()
        let user = try await target(req, region: region)
        let me = try req.requireUser()
        let form = try Setup.fields(req)
        var (role, agency, errors) = try await validate(form, req: req, region: region)
        let active = form["active"] == "1"
        if user.id == me.id {
            if role?.rawValue != user.role { errors["role"] = t["setup_self_role"] }
            if !active { errors["active"] = t["setup_self_deactivate"] }
        }
        guard errors.isEmpty, let role else {
            return try await render(req, form: form, errors: errors, rowID: user.id)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        var previousAgency: Agency?
        if let id = user.$agency.id { previousAgency = try await Agency.find(id, on: req.db) }
        let changes: [AuditLog.Change] = [
            .init(field: "display_name", before: user.displayName, after: form["display_name"]),
            .init(field: "role", before: user.role, after: role.rawValue),
            .init(field: "agency", before: previousAgency?.code, after: agency?.code),
            .init(field: "active", before: user.active ? "1" : "0", after: active ? "1" : "0"),
        ]
        user.displayName = form["display_name"] ?? user.displayName
        user.role = role.rawValue
        user.$agency.id = agency?.id
        let deactivated = user.active && !active
        user.active = active
        let userID = try user.requireID()
        try await req.db.writeTransaction { tx in
            try await user.save(on: tx)
            // A deactivated user is signed out everywhere at once.
            if deactivated { try await sessions(of: userID, on: tx).delete() }
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "user",
                                      key: user.username, action: "update", changes: changes, actor: me)
        }
        return req.redirect(to: SiteURL.adminUsers.path + "?saved=updated")
    }

    @Sendable static func reset(_ req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let region = try await req.currentRegion()
        let user = try await target(req, region: region)
        let me = try req.requireUser()
        // One's own password is changed on the account page (a reset would sign oneself out).
        if user.id == me.id { return req.redirect(to: SiteURL.password.path) }
        let password = Accounts.randomPassword()
        let hash = try await req.password.async.hash(password)
        user.passwordHash = hash
        user.failedSignIns = 0
        user.lockedUntil = nil
        let userID = try user.requireID()
        try await req.db.writeTransaction { tx in
            try await user.save(on: tx)
            try await sessions(of: userID, on: tx).delete()
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "user",
                                      key: user.username, action: "reset_password",
                                      changes: [.init(field: "password", before: nil, after: "••••")], actor: me)
        }
        return try await render(req, issued: Issued(username: user.username, password: password))
            .encodeResponse(status: .ok, for: req)
    }

    /// The stored sessions signed in as `userID`.
    static func sessions(of userID: UUID, on db: any Database) -> QueryBuilder<StoredSession> {
        StoredSession.query(on: db).filter(\.$data ~~ userID.uuidString)
    }
}
