import Vapor

extension Request {
    /// The token forms carry: the signed-in user's session token (created on first use), or for a
    /// visitor who is not signed in the `pilar-csrf` cookie's (created on first use, no session row).
    var csrfToken: String {
        if auth.has(User.self) {
            if let token = session.data[CSRFMiddleware.sessionKey] { return token }
            let token = CSRFMiddleware.randomToken()
            session.data[CSRFMiddleware.sessionKey] = token
            return token
        }
        if let token = storage[AnonymousCSRFCookieMiddleware.NewToken.self] { return token }
        if let token = cookies[CSRFMiddleware.cookieName(secure: application.config.secureCookies)]?.string,
           token.count == 43 { return token }
        let token = CSRFMiddleware.randomToken()
        storage[AnonymousCSRFCookieMiddleware.NewToken.self] = token
        return token
    }
}
