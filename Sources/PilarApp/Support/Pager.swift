import Foundation
import Vapor

/// One page of a long list: which rows it holds, and the links to the pages beside it with the
/// list's other query parameters (its filters) kept. Pages count from 1; a page number past the
/// end shows the last page, a missing or malformed one the first.
struct Pager: Encodable, Sendable {
    var page: Int
    var pages: Int
    var total: Int
    /// 1-based positions of the first and last row shown (0 when the list is empty).
    var first: Int
    var last: Int
    var previous: String?
    var next: String?
    var perPage: Int
    /// The figures as the reader writes them (thousands grouped).
    var shown: [String: String]
    /// The pager as the lists print it (nothing when there is one page): `pager.leaf` and the
    /// lists written in Swift share it.
    var html: String

    static let perPage = 50

    /// Rows to skip before this page.
    var offset: Int { (page - 1) * perPage }

    /// `requested` is the `page` query parameter as typed; `path` and `query` build the links.
    init(total: Int, requested: String?, perPage: Int = Pager.perPage, path: String, query: [(String, String)],
         t: Catalog.Strings) {
        let pages = max(1, (total + perPage - 1) / perPage)
        let page = min(max(Int(requested ?? "") ?? 1, 1), pages)
        self.page = page
        self.pages = pages
        self.total = total
        self.perPage = perPage
        first = total == 0 ? 0 : (page - 1) * perPage + 1
        last = min(page * perPage, total)
        shown = ["first": first, "last": last, "total": total, "page": page, "pages": pages]
            .mapValues { Format.number(Double($0), t.language) }
        func link(_ n: Int) -> String { Pager.link(path, query: query + (n > 1 ? [("page", String(n))] : [])) }
        previous = page > 1 ? link(page - 1) : nil
        next = page < pages ? link(page + 1) : nil
        html = ""
        html = markup(t).html
    }

    func markup(_ t: Catalog.Strings) -> Markup {
        guard pages > 1 else { return "" }
        let prev: Markup = previous.map { "<a href=\"\($0)\" rel=\"prev\">‹ \(t["pager_previous"])</a>" }
            ?? "<span class=\"muted\">‹ \(t["pager_previous"])</span>"
        let following: Markup = next.map { "<a href=\"\($0)\" rel=\"next\">\(t["pager_next"]) ›</a>" }
            ?? "<span class=\"muted\">\(t["pager_next"]) ›</span>"
        return """
            <nav class="pager" aria-label="\(t["pager_label"])">
              <span class="small muted">\(t["pager_showing"]) \(shown["first"])–\(shown["last"]) \(t["pager_of"]) \(shown["total"])</span>
              <span class="pager-links">
              \(prev)
              <span>\(t["pager_page"]) \(shown["page"]) \(t["pager_of"]) \(shown["pages"])</span>
              \(following)
              </span>
            </nav>

            """
    }

    /// `path?name=value&…` with the empty parameters left out.
    static func link(_ path: String, query: [(String, String)]) -> String {
        let items = query.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        var components = URLComponents()
        components.path = path
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }
}
