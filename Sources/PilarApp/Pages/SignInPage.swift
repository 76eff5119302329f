import Vapor

/// `/signin`: the sign-in form, with the name typed and why a sign-in was refused.
enum SignInPage {
    struct Context: Encodable {
        var page: PageChrome
        var username: String
        var error: String?
        /// Where to go after signing in (a path on this site).
        var next: String
        var action: String
    }

    static func build(_ req: Request, username: String = "", error: String? = nil, next: String) -> Context {
        Context(page: PageChrome(request: req, title: req.t["signin_title"]), username: username, error: error, next: next,
                action: SiteURL.signIn.path)
    }
}
