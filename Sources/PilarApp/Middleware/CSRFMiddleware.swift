import Foundation
import Vapor

/// Cross-site request forgery protection (Vapor 4 has none of its own).
///
/// A signed-in user's session carries a random token; a visitor who is not signed in gets one in
/// the `pilar-csrf` cookie instead (double submit, `__Host-` when cookies are secure, and only from
/// the same origin), so showing the sign-in or public page stores no session row. Every form prints the token in a hidden `_csrf` field (a script sends
/// `X-CSRF-Token`); only the streamed upload routes, whose body is not read before the handler,
/// take it from the URL (`?_csrf=`). Any POST, PUT, PATCH or DELETE without the right token is
/// refused with 403 before it reaches a route, so no controller can forget the check.
struct CSRFMiddleware: Middleware {
    static let sessionKey = "csrf"
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"
    /// The visitor's token cookie. With secure cookies it is `__Host-pilar-csrf`: browsers then
    /// accept it only from this host over HTTPS, so a sibling subdomain cannot plant one (login CSRF).
    static func cookieName(secure: Bool) -> String { secure ? "__Host-pilar-csrf" : "pilar-csrf" }

    /// The routes whose multipart body streams to disk: the only ones that read the token from the URL.
    static let streamedUploads: [[PathComponent]] = [
        SiteURL.indicatorEvidence(year: 0, code: "").components,
        SiteURL.evidenceNewVersion(year: 0, code: "", id: UUID()).components,
        SiteURL.kpiSheet.components,
        SiteURL.programmeDocuments(programme: UUID()).components,
        SiteURL.adminRegionLogo.components,
        SiteURL.agencySheet.components,
        SiteURL.userSheet.components,
    ]

    static func isStreamedUpload(_ request: Request) -> Bool {
        guard request.method == .POST else { return false }
        let path = request.url.path.split(separator: "/", omittingEmptySubsequences: true)
        return streamedUploads.contains { pattern in
            pattern.count == path.count && zip(pattern, path).allSatisfy { component, segment in
                switch component {
                case let .constant(text): return text == segment
                case .parameter: return !segment.isEmpty
                default: return false
                }
            }
        }
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard [.POST, .PUT, .PATCH, .DELETE].contains(request.method) else {
            return next.respond(to: request)
        }
        let promise = request.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await Self.check(request) }
        return promise.futureResult.flatMap { next.respond(to: request) }
    }

    /// Refuses a state-changing request whose token is missing or not the expected one.
    static func check(_ request: Request) async throws {
        let expected: String?
        if request.auth.has(User.self) {
            expected = request.hasSession ? request.session.data[sessionKey] : nil
        } else {
            // A visitor's form (sign-in, language) must also come from this very site: a browser that
            // says the request is from another site, a sibling subdomain included, is refused.
            if let site = request.headers.first(name: "Sec-Fetch-Site"), site != "same-origin", site != "none" {
                throw Abort(.forbidden, reason: "csrf")
            }
            expected = request.cookies[cookieName(secure: request.application.config.secureCookies)]?.string
        }
        var sent = request.headers.first(name: headerName)
        if sent == nil, isStreamedUpload(request), let query = try? request.query.get(String.self, at: fieldName) {
            sent = query
        }
        if sent == nil, request.content.contentType == .urlEncodedForm {
            if request.body.data == nil {
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            sent = try? request.content.get(String.self, at: fieldName)
        }
        guard let expected, !expected.isEmpty, let sent, constantTimeEqual(expected, sent) else {
            throw Abort(.forbidden, reason: "csrf")
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

