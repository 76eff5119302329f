import Vapor

/// HTML written in Swift, for the pages whose cost Leaf's interpreter dominated (the layout, the
/// indicator page, the work list's rows). A `Markup` literal is the page's own markup; every
/// `String` interpolated into it is escaped (`HTML.escape`: `& < > " '`, so text and quoted
/// attribute values alike), and only another `Markup` is inserted as it is. So data can never
/// become markup unless a page wraps it in `Markup(trusted:)`, which no page does with data.
struct Markup: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    private(set) var html: String

    init() { html = "" }

    init(stringLiteral value: String) { html = value }

    /// Markup that was made elsewhere by Swift or a template (a cached body, a chart's SVG).
    init(trusted html: String) { self.html = html }

    init(stringInterpolation: Interpolation) { html = stringInterpolation.out }

    var description: String { html }

    static func += (lhs: inout Markup, rhs: Markup) { lhs.html += rhs.html }

    static func + (lhs: Markup, rhs: Markup) -> Markup { Markup(trusted: lhs.html + rhs.html) }

    /// Each element's markup, one after the other.
    static func each<S: Sequence>(_ items: S, _ body: (S.Element) -> Markup) -> Markup {
        var m = Markup()
        for item in items { m += body(item) }
        return m
    }

    struct Interpolation: StringInterpolationProtocol {
        var out: String

        init(literalCapacity: Int, interpolationCount: Int) {
            out = ""
            out.reserveCapacity(literalCapacity + interpolationCount * 24)
        }

        mutating func appendLiteral(_ literal: String) { out += literal }

        /// Text: escaped.
        mutating func appendInterpolation(_ text: String) { HTML.escape(text, into: &out) }

        /// Text that may be missing: escaped, nothing when missing.
        mutating func appendInterpolation(_ text: String?) {
            if let text { HTML.escape(text, into: &out) }
        }

        mutating func appendInterpolation(_ number: Int) { out += String(number) }

        /// Markup: as it is.
        mutating func appendInterpolation(_ markup: Markup) { out += markup.html }

        /// `markup` only when `condition` holds (an attribute such as ` selected`, an optional block).
        mutating func appendInterpolation(if condition: Bool, _ markup: @autoclosure () -> Markup) {
            if condition { out += markup().html }
        }
    }
}

extension HTML {
    /// Appends `text` escaped to `out` (see `escape`).
    static func escape(_ text: String, into out: inout String) {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            out += text
            return
        }
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
    }
}

extension Request {
    /// A page written in Swift inside the layout: `text/html`, like a rendered template.
    func html(_ chrome: PageChrome, _ body: Markup, status: HTTPStatus = .ok) -> Response {
        var out = chrome.documentTop().html
        out.reserveCapacity(out.utf8.count + body.html.utf8.count + 256)
        out += "<main class=\"content\">\n"
        out += body.html
        out += "</main>\n"
        out += chrome.documentBottom().html
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: out))
    }
}
