import Vapor

/// Text written into HTML by Swift rather than by a template (large repeated fragments, where
/// Leaf's per-cell cost dominates a page): one escape function, one pass, for text and attributes.
enum HTML {
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        escape(text, into: &out)
        return out
    }
}

extension Request {
    /// A rendered page that no browser or proxy may keep (a one-time password is on it).
    func renderNotStored(_ template: String, _ context: some Encodable, status: HTTPStatus) async throws -> Response {
        let response = try await view.render(template, context).encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
