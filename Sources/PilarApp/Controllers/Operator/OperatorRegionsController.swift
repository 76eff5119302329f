import Fluent
import Foundation
import PilarCore
import Vapor

/// `/operator/regions`: the installation's regions, and a new one with its first admin (a random
/// first password, shown once). The operator only; the operator reads nothing inside a region.
enum OperatorRegionsController {
    struct Form: Content {
        var code: String?
        var name: String?
        var kind: String?
        var province: String?
        var timeZone: String?
        var adminUsername: String?
        var adminName: String?

        enum CodingKeys: String, CodingKey {
            case code, name, kind, province, timeZone = "time_zone", adminUsername = "admin_username", adminName = "admin_name"
        }

        init() { kind = "kota"; timeZone = "Asia/Jakarta" }
    }

    /// The first password of a new account, shown once.
    struct Issued: Encodable {
        var username: String
        var password: String
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try req.authorize(.manageInstallation)
        return try await req.view.render("operator_regions", try await OperatorRegionsPage.build(req))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageInstallation)
        let form = try req.content.decode(Form.self)
        var errors = FieldErrors()
        let new = Regions.New(
            code: errors.text("code", form.code, max: 40, required: true).lowercased(),
            name: errors.text("name", form.name, max: 120, required: true),
            kind: form.kind ?? "", province: errors.text("province", form.province, max: 120, required: true),
            timeZone: form.timeZone ?? "")
        let adminName = errors.text("admin_name", form.adminName, max: 120, required: true)
        let typed = errors.text("admin_username", form.adminUsername, max: 40, required: true)
        for problem in Regions.problems(new) where problem.field == "code" || problem.field == "kind" || problem.field == "time_zone" {
            errors.add(problem.field, "region_\(problem.field)_invalid")
        }
        let username = Usernames.qualified(typed, prefix: new.code)
        if !typed.isEmpty, (try? Accounts.validateUsername(username)) == nil { errors.add("admin_username", "operator_admin_username_invalid") }
        if errors.keys["code"] == nil, try await Regions.codeTaken(new.code, on: req.db) { errors.add("code", "region_code_taken") }
        guard errors.isEmpty else {
            return try await render(req, try await OperatorRegionsPage.build(req, form: form, errors: errors.messages(req.t)),
                                    status: .unprocessableEntity)
        }
        let password = Accounts.randomPassword()
        let hash = try await req.password.async.hash(password)
        let actor = try req.requireUser()
        let now = req.now
        try await req.db.transaction { tx in
            let region = try await Regions.create(new, on: tx, at: now, actor: actor)
            let admin = User(regionID: try region.requireID(), agencyID: nil, username: username, displayName: adminName,
                             role: .admin, passwordHash: hash)
            try await admin.create(on: tx)
            try await AuditLog.record(at: now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "user", key: username,
                                      action: "create", changes: [.init(field: "role", before: nil, after: Role.admin.rawValue)],
                                      actor: actor)
        }
        let page = try await OperatorRegionsPage.build(req, issued: Issued(username: username, password: password), created: new.name)
        return try await render(req, page, status: .created)
    }

    static func render(_ req: Request, _ page: OperatorRegionsPage.Context, status: HTTPStatus) async throws -> Response {
        try await req.renderNotStored("operator_regions", page, status: status)
    }
}
