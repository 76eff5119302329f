import Foundation
import Vapor

/// Cross-site request forgery protection (Vapor 4 has none of its own).
///
/// Every session carries a random token; every form prints it in a hidden `_csrf` field (upload
/// forms in their action URL, a script as `X-CSRF-Token`). Any POST, PUT, PATCH or DELETE without the session's token
/// is refused with 403 before it reaches a route, so no controller can forget the check.
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard [.POST, .PUT, .PATCH, .DELETE].contains(request.method) else {
            return try await next.respond(to: request)
        }
        let expected = request.hasSession ? request.session.data[Self.sessionKey] : nil
        var sent = request.headers.first(name: Self.headerName)
        if sent == nil, let query = try? request.query.get(String.self, at: Self.fieldName) {
            sent = query
        }
        // Multipart uploads stream to disk, so their token comes in the URL (`?_csrf=`) or a header;
        // only plain forms are read here.
        if sent == nil, request.content.contentType == .urlEncodedForm {
            if request.body.data == nil {
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            sent = try? request.content.get(String.self, at: Self.fieldName)
        }
        guard let expected, let sent, Self.constantTimeEqual(expected, sent) else {
            throw Abort(.forbidden, reason: "csrf")
        }
        return try await next.respond(to: request)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension Request {
    /// This session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data[CSRFMiddleware.sessionKey] { return token }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        session.data[CSRFMiddleware.sessionKey] = token
        return token
    }
}
