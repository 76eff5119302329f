import Fluent
import Foundation
import PilarCore
import Vapor

/// `/operator/reviewers`: a province's Diskominfo or the ministry, each given a set of regions to
/// compare (`/regions`) and open read-only. The operator only.
enum OperatorReviewersController {
    struct Form: Content {
        var username: String?
        var displayName: String?
        /// Region codes.
        var regions: [String]?
        var active: String?

        enum CodingKeys: String, CodingKey { case username, displayName = "display_name", regions, active }

        init() {}
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try req.authorize(.manageInstallation)
        return try await req.view.render("operator_reviewers", try await OperatorReviewersPage.build(req))
    }

    /// The chosen region codes as ids, or the field's error.
    static func chosenRegions(_ codes: [String]?, _ req: Request, errors: inout FieldErrors) async throws -> [UUID] {
        let wanted = Set(codes ?? [])
        guard !wanted.isEmpty else { return [] }
        let found = try await Region.query(on: req.db).filter(\.$code ~~ Array(wanted)).all()
        if found.count != wanted.count { errors.add("regions", "operator_region_unknown") }
        return try found.map { try $0.requireID() }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageInstallation)
        let form = try req.content.decode(Form.self)
        var errors = FieldErrors()
        let username = errors.text("username", form.username, max: 64, required: true).lowercased()
        let name = errors.text("display_name", form.displayName, max: 120, required: true)
        let regions = try await chosenRegions(form.regions, req, errors: &errors)
        var messages = errors.messages(req.t)
        if messages["username"] == nil {
            if (try? Accounts.validateUsername(username)) == nil {
                messages["username"] = req.t.format("sheet_username", ["value": username])
            } else if try await User.query(on: req.db).filter(\.$username == username).count() > 0 {
                messages["username"] = req.t.format("setup_username_taken", ["username": username])
            } else if let claimed = Usernames.claimedPrefix(username),
                      try await Region.query(on: req.db).filter(\.$usernamePrefix == claimed).count() > 0 {
                messages["username"] = req.t.format("operator_reviewer_prefix", ["prefix": claimed])
            }
        }
        let password = Accounts.randomPassword()
        var created: User?
        if messages.isEmpty {
            do {
                created = try await req.db.transaction { tx in
                    let user = try await Accounts.create(app: req.application, on: tx, region: nil, agency: nil, username: username,
                                                         displayName: name, role: .reviewer, password: password)
                    for region in regions { try await ReviewerRegion(userID: user.requireID(), regionID: region).create(on: tx) }
                    return user
                }
            } catch is Accounts.Invalid {
                // Checked above; a name taken in the meantime lands here.
                messages["username"] = req.t["operator_reviewer_username_invalid"]
            }
        }
        guard let user = created else {
            return try await render(req, try await OperatorReviewersPage.build(req, form: form, errors: messages), status: .unprocessableEntity)
        }
        let issued = OperatorRegionsController.Issued(username: user.username, password: password)
        return try await render(req, try await OperatorReviewersPage.build(req, issued: issued), status: .created)
    }

    /// A reviewer's regions and whether it may sign in.
    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageInstallation)
        guard let id = req.parameters.get("id", as: UUID.self), let user = try await User.find(id, on: req.db),
              user.role == .reviewer else { throw Abort(.notFound) }
        let form = try req.content.decode(Form.self)
        var errors = FieldErrors()
        let regions = try await chosenRegions(form.regions, req, errors: &errors)
        guard errors.isEmpty else {
            return try await render(req, try await OperatorReviewersPage.build(req, rowID: id, form: form, errors: errors.messages(req.t)),
                                    status: .unprocessableEntity)
        }
        let active = form.active == "1"
        try await req.db.transaction { tx in
            try await ReviewerRegion.query(on: tx).filter(\.$user.$id == id).delete()
            for region in regions { try await ReviewerRegion(userID: id, regionID: region).create(on: tx) }
            if user.active != active {
                user.active = active
                try await user.save(on: tx)
                if !active { try await UserAdminController.sessions(of: id, on: tx).delete() }
            }
        }
        return req.redirect(to: SiteURL.operatorReviewers.path(query: ["saved": "1"]))
    }

    static func render(_ req: Request, _ page: OperatorReviewersPage.Context, status: HTTPStatus) async throws -> Response {
        try await req.renderNotStored("operator_reviewers", page, status: status)
    }
}
