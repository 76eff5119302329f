import Fluent
import Foundation
import Vapor

/// `GET/POST /signin` and `POST /signout`.
///
/// Failed attempts are counted per account and per client address in the database by single
/// atomic statements (`SignInGuard`), so parallel guesses and several Pilar processes share one
/// count; after `PILAR_MAX_FAILED_SIGNINS` the account is locked for `PILAR_LOCKOUT_SECONDS`, and
/// an address that failed `PILAR_MAX_FAILED_SIGNINS_PER_ADDRESS` times waits as long.
/// An unknown username, a wrong password, a locked or a deactivated account get the same answer
/// after the same bcrypt check, so neither the answer nor its timing tells which accounts exist.
enum SignInController {
    struct Form: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    struct Query: Content {
        var next: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let next = LocalPath.safe(try? req.query.decode(Query.self).next)
        if req.auth.has(User.self) { return req.redirect(to: next) }
        return try await render(req, username: "", error: nil, next: next, status: .ok)
    }

    @Sendable static func submit(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let t = req.t
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form.password ?? ""
        let next = LocalPath.safe(form.next)
        guard !username.isEmpty, !password.isEmpty else {
            return try await render(req, username: username, error: t["signin_missing"], next: next, status: .badRequest)
        }
        let config = req.application.config
        let now = req.now
        let window = Double(config.lockoutSeconds)
        let address = SignInGuard.clientKey(req)
        // The attempt is counted against the address before the password is looked at (one atomic
        // statement), so parallel guesses cannot all pass the check; a right password takes it back.
        let attempts = try await SignInGuard.addressAttempt(address, now: now, window: window, on: req.db)
        if attempts.count > config.maxFailedSignInsPerAddress {
            // About the address, not the account: the same for every username.
            _ = try await verify(password, hash: DummyHash.value(for: req.application), req: req)
            let minutes = max(1, Int((attempts.windowStart.addingTimeInterval(window).timeIntervalSince(now) / 60).rounded(.up)))
            return try await render(req, username: username, error: t.format("signin_address_blocked", ["minutes": String(minutes)]),
                                    next: next, status: .tooManyRequests)
        }
        let user = try await User.query(on: req.db).filter(\.$username == username).first()
        // Always one bcrypt check, against the account's hash or a dummy one.
        let ok = try await verify(password, hash: user?.passwordHash ?? DummyHash.value(for: req.application), req: req)
        let locked = user?.lockedUntil.map { $0 > now } ?? false
        var signedIn = false
        if let user, ok, user.active, !locked {
            signedIn = try await SignInGuard.accountSucceeded(user.requireID(), now: now, on: req.db)
        }
        guard let user, signedIn else {
            // The same statement for every refusal (the nil id matches no account), so the time
            // taken does not tell an unknown name from a wrong password either.
            let counted = (ok ? nil : user?.id) ?? SignInGuard.noAccount
            if let until = try await SignInGuard.accountFailed(counted, now: now, max: config.maxFailedSignIns,
                                                               lockout: window, on: req.db), let user {
                req.logger.warning("account \(user.username) locked until \(until) after \(config.maxFailedSignIns) failed sign-ins")
            }
            return try await render(req, username: username, error: t["signin_failed"], next: next, status: .unauthorized)
        }
        try await SignInGuard.addressSucceeded(address, on: req.db)
        // A new session id on sign-in (no session fixation); the old record is removed.
        let language = req.hasSession ? req.session.data[LanguageMiddleware.sessionKey] : nil
        if req.hasSession, let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
        }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data[LanguageMiddleware.sessionKey] = language
        req.session.data[SessionUserMiddleware.userKey] = try user.requireID().uuidString
        return req.redirect(to: next)
    }

    @Sendable static func signOut(_ req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: SiteURL.signIn.path)
    }

    static func verify(_ password: String, hash: String, req: Request) async throws -> Bool {
        do {
            return try await req.password.async.verify(password, created: hash).get()
        } catch {
            return false
        }
    }

    static func render(_ req: Request, username: String, error: String?, next: String, status: HTTPStatus) async throws -> Response {
        let context = SignInPage.build(req, username: username, error: error, next: next)
        return try await req.view.render("signin", context).encodeResponse(status: status, for: req)
    }
}
