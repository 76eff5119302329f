import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/users`: the region's users with a change and a reset form per user, the add form, and a
/// new or reset password shown once.
enum UsersSetupPage {
    typealias Form = UserAdminController.Form

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
        var form: Form
        var errors: [String: String]
        var open: Bool
    }

    struct Issued: Encodable {
        var username: String
        var password: String
    }

    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var roles: [Setup.Option]
        var agencies: [Setup.Option]
        var form: Form
        var errors: [String: String]
        var saved: String?
        /// A new or reset password, shown once.
        var issued: Issued?
        var createAction: String
        /// "names start with kediri." under the username field.
        var usernameHint: String
        var sheet: Setup.SheetLinks
    }

    /// - Parameters:
    ///   - form: what was typed, shown in the add form or, with `rowID`, in that user's change form.
    ///   - saved: `updated` after a save (anything else shows nothing).
    static func build(
        _ req: Request, form: Form = .init(), errors: [String: String] = [:], rowID: UUID? = nil,
        saved: String? = nil, issued: Issued? = nil
    ) async throws -> Context {
        try req.authorize(.manageUsers)
        let t = req.t
        let actor = try req.actor()
        let me = try req.requireUser()
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let byID = Dictionary(agencies.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        let users = try await User.query(on: req.db).filter(\.$homeRegion.$id == region.requireID()).sort(\.$username).all()
        let roles = UserAdminController.grantable(by: actor)
        func roleOptions(_ selected: String?) -> [Setup.Option] {
            roles.map { Setup.Option(value: $0.rawValue, label: t["role_\($0.rawValue)"], selected: $0.rawValue == selected) }
        }
        let now = req.now
        let rows = users.compactMap { u -> Row? in
            guard let id = u.id else { return nil }
            let isEdited = id == rowID
            let current = Form(displayName: u.displayName, role: u.role.rawValue, agency: u.$agency.id?.uuidString ?? "",
                               active: u.active ? "1" : "")
            let shown = isEdited ? form : current
            return Row(id: id.uuidString, username: u.username, name: u.displayName,
                       role: t["role_\(u.role.rawValue)"], agency: u.$agency.id.flatMap { byID[$0]?.code }, active: u.active,
                       locked: (u.lockedUntil ?? .distantPast) > now, isSelf: id == me.id,
                       editable: actor.role == .admin || u.role != .admin,
                       action: SiteURL.adminUser(id: id).path,
                       resetAction: SiteURL.adminUserReset(id: id).path,
                       roles: roleOptions(shown.role),
                       agencies: Setup.agencyOptions(agencies, selected: shown.agency, empty: t["setup_no_agency"]),
                       form: shown, errors: isEdited ? errors : [:], open: isEdited)
        }
        let createForm = rowID == nil ? form : .init()
        return Context(
            page: PageChrome(request: req, title: t["setup_users"]), tabs: try Setup.tabs(req), rows: rows,
            roles: roleOptions(createForm.role ?? Role.agency.rawValue),
            agencies: Setup.agencyOptions(agencies, selected: createForm.agency, empty: t["setup_no_agency"]),
            form: createForm, errors: rowID == nil ? errors : [:],
            saved: saved.flatMap { ["updated"].contains($0) ? t["setup_saved_\($0)"] : nil }, issued: issued,
            createAction: SiteURL.adminUsers.path,
            usernameHint: t.format("setup_username_hint", ["prefix": region.effectiveUsernamePrefix]),
            sheet: Setup.SheetLinks(.userSheet, req))
    }
}
