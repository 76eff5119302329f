import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/users`: the region's users — add (with a one-time password), change role, agency and
/// name, deactivate and reactivate, reset a password. Only an admin grants or changes the admin role.
enum UserAdminController {
    struct Form: Content {
        var username: String?
        var displayName: String?
        var role: String?
        var agency: String?
        /// "1" when the box is ticked.
        var active: String?

        enum CodingKeys: String, CodingKey {
            case username, displayName = "display_name", role, agency, active
        }

        /// The fields trimmed.
        var normalized: Form {
            func trim(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines) }
            return Form(username: trim(username), displayName: trim(displayName), role: trim(role), agency: trim(agency),
                        active: trim(active))
        }
    }

    struct SavedQuery: Content {
        var saved: String?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        let saved = try? req.query.decode(SavedQuery.self).saved
        return try await req.view.render("setup_users", try await UsersSetupPage.build(req, saved: saved))
    }

    /// Roles the signed-in user may hand out.
    static func grantable(by actor: AccessPolicy.Actor) -> [Role] {
        actor.role == .admin ? Role.regionRoles : Role.regionRoles.filter { $0 != .admin }
    }

    static func render(_ req: Request, _ page: UsersSetupPage.Context, status: HTTPStatus) async throws -> Response {
        try await req.view.render("setup_users", page).encodeResponse(status: status, for: req)
    }

    /// Checks name, role and agency; the problems are keyed by field.
    static func validate(_ form: Form, req: Request, region: Region) async throws -> (Role?, Agency?, [String: String]) {
        let t = req.t
        let actor = try req.actor()
        var checks = FieldErrors()
        checks.text("display_name", form.displayName, max: 120, required: true)
        var errors = checks.messages(t)
        // Only a region's own roles: the operator and reviewers belong to the installation.
        let role = Role(rawValue: form.role ?? "").flatMap { $0.belongsToRegion ? $0 : nil }
        if role == nil { errors["role"] = t["setup_role_unknown"] }
        if role == .admin && actor.role != .admin { errors["role"] = t["setup_role_admin_only"] }
        var agency: Agency?
        if let raw = form.agency, !raw.isEmpty {
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
        var form = try req.content.decode(Form.self).normalized
        // The region's prefix goes in front (`kediri.` + `dinsos`): a name can only be taken in this region.
        let username = Usernames.qualified(form.username ?? "", prefix: region.effectiveUsernamePrefix)
        form.username = username
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
            return try await render(req, try await UsersSetupPage.build(req, form: form, errors: errors), status: .unprocessableEntity)
        }
        let password = Accounts.randomPassword()
        let me = try req.requireUser()
        let regionID = try region.requireID()
        let (chosenAgency, displayName) = (agency, form.displayName ?? "")
        try await req.writeTransaction { tx in
            let user = try await Accounts.create(app: req.application, on: tx, region: region, agency: chosenAgency,
                                                 username: username, displayName: displayName,
                                                 role: role, password: password)
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: nil, entity: "user", key: user.username,
                                      action: "create", changes: [
                                          .init(field: "role", before: nil, after: role.rawValue),
                                          .init(field: "agency", before: nil, after: chosenAgency?.code),
                                      ], actor: me)
        }
        let page = try await UsersSetupPage.build(req, issued: .init(username: username, password: password))
        return try await render(req, page, status: .created)
    }

    /// The user `:id` of the signed-in user's region that the signed-in user may change, or 404/403.
    static func target(_ req: Request, region: Region) async throws -> User {
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await User.find(id, on: req.db),
              user.$homeRegion.id == region.id else { throw Abort(.notFound) }
        let actor = try req.actor()
        if user.role == .admin && actor.role != .admin { throw Abort(.forbidden) }
        return user
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageUsers)
        let t = req.t
        let region = try await req.currentRegion()
        let user = try await target(req, region: region)
        let me = try req.requireUser()
        let form = try req.content.decode(Form.self).normalized
        var (role, agency, errors) = try await validate(form, req: req, region: region)
        let active = form.active == "1"
        if user.id == me.id {
            if role != user.role { errors["role"] = t["setup_self_role"] }
            if !active { errors["active"] = t["setup_self_deactivate"] }
        }
        let userID = try user.requireID()
        guard errors.isEmpty, let role else {
            let page = try await UsersSetupPage.build(req, form: form, errors: errors, rowID: userID)
            return try await render(req, page, status: .unprocessableEntity)
        }
        var previousAgency: Agency?
        if let id = user.$agency.id { previousAgency = try await Agency.find(id, on: req.db) }
        let changes: [AuditLog.Change] = [
            .init(field: "display_name", before: user.displayName, after: form.displayName),
            .init(field: "role", before: user.role.rawValue, after: role.rawValue),
            .init(field: "agency", before: previousAgency?.code, after: agency?.code),
            .init(field: "active", before: user.active ? "1" : "0", after: active ? "1" : "0"),
        ]
        user.displayName = form.displayName ?? user.displayName
        user.role = role
        user.$agency.id = agency?.id
        let deactivated = user.active && !active
        user.active = active
        try await req.writeTransaction { tx in
            try await user.save(on: tx)
            // A deactivated user is signed out everywhere at once.
            if deactivated { try await sessions(of: userID, on: tx).delete() }
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "user",
                                      key: user.username, action: "update", changes: changes, actor: me)
        }
        return req.redirect(to: SiteURL.adminUsers.path(query: ["saved": "updated"]))
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
        try await req.writeTransaction { tx in
            try await user.save(on: tx)
            try await sessions(of: userID, on: tx).delete()
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "user",
                                      key: user.username, action: "reset_password",
                                      changes: [.init(field: "password", before: nil, after: "••••")], actor: me)
        }
        let page = try await UsersSetupPage.build(req, issued: .init(username: user.username, password: password))
        return try await render(req, page, status: .ok)
    }

    /// The stored sessions signed in as `userID`.
    static func sessions(of userID: UUID, on db: any Database) -> QueryBuilder<StoredSession> {
        StoredSession.query(on: db).filter(\.$data ~~ userID.uuidString)
    }
}
