import Vapor

/// `/account/password`: the form that changes one's own password.
enum PasswordPage {
    struct Context: Encodable {
        var page: PageChrome
        var errors: [String: String]
        /// The password was changed.
        var done: Bool
        var action: String
    }

    static func build(_ req: Request, errors: [String: String] = [:], done: Bool = false) -> Context {
        Context(page: PageChrome(request: req, title: req.t["password_title"]), errors: errors, done: done,
                action: SiteURL.password.path)
    }
}
