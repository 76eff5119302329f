import Fluent
import Vapor

/// `GET/POST /account/password`: change one's own password; the user's other sessions end.
enum AccountController {
    struct Form: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    @Sendable static func showPassword(_ req: Request) async throws -> View {
        try await render(req, errors: [:], done: false)
    }

    @Sendable static func changePassword(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(Form.self)
        let t = req.t
        var errors: [String: String] = [:]
        let ok = try await SignInController.verify(form.current ?? "", hash: user.passwordHash, req: req)
        if !ok { errors["current"] = t["password_wrong_current"] }
        let new = form.new ?? ""
        if new.count < Accounts.minimumPasswordLength {
            errors["new"] = t.format("password_too_short", ["n": String(Accounts.minimumPasswordLength)])
        } else if new != (form.confirm ?? "") {
            errors["confirm"] = t["password_mismatch"]
        }
        guard errors.isEmpty else {
            return try await render(req, errors: errors, done: false).encodeResponse(status: .unprocessableEntity, for: req)
        }
        user.passwordHash = try await req.password.async.hash(new).get()
        let userID = try user.requireID()
        let current = req.session.id?.string ?? ""
        // A new password ends every other session of the user (a stolen session included).
        try await req.db.transaction { tx in
            try await user.save(on: tx)
            try await UserAdminController.sessions(of: userID, on: tx).filter(\.$key != current).delete()
        }
        return try await render(req, errors: [:], done: true).encodeResponse(for: req)
    }

    static func render(_ req: Request, errors: [String: String], done: Bool) async throws -> View {
        try await req.view.render("password", PasswordPage.build(req, errors: errors, done: done))
    }
}
