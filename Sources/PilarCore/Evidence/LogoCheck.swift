import Foundation

/// A region's letterhead logo, judged by its bytes (never by its name or the browser's type): a PNG
/// with a sound header, or an SVG that can neither run a script nor fetch anything — no `<script>`,
/// no event attributes, no `javascript:`, no `<foreignObject>`, no DOCTYPE or entities, and no
/// reference that leaves the file (every `href` and `url()` points inside it, `#…`, or is a
/// `data:image/…` picture).
public enum LogoCheck {
    public static let maxBytes = 256 * 1024
    public static let maxSide = 4000

    public enum Kind: String, Sendable {
        case png = "image/png"
        case svg = "image/svg+xml"
    }

    public enum Refusal: Error, Equatable, Sendable {
        case empty
        case tooLarge
        /// Neither a PNG nor an SVG.
        case notAnImage
        case badPNG
        /// An SVG with a script, an event handler, a DOCTYPE/entity or `foreignObject`.
        case svgScript(String)
        /// An SVG that refers to something outside the file.
        case svgExternal(String)
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func check(_ bytes: [UInt8]) -> Result<Kind, Refusal> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        guard bytes.count <= maxBytes else { return .failure(.tooLarge) }
        if bytes.starts(with: pngSignature) { return checkPNG(bytes) }
        guard let text = String(bytes: bytes, encoding: .utf8) else { return .failure(.notAnImage) }
        return checkSVG(text)
    }

    /// The signature, then an IHDR chunk of 13 bytes with a size within bounds.
    static func checkPNG(_ b: [UInt8]) -> Result<Kind, Refusal> {
        guard b.count >= 33, Array(b[12..<16]) == Array("IHDR".utf8),
              Array(b[8..<12]) == [0, 0, 0, 13] else { return .failure(.badPNG) }
        func u32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        let width = u32(16), height = u32(20)
        guard (1...maxSide).contains(width), (1...maxSide).contains(height) else { return .failure(.badPNG) }
        return .success(.png)
    }

    static func checkSVG(_ raw: String) -> Result<Kind, Refusal> {
        let text = raw.lowercased()
        // The root element: an optional XML declaration and comments, then <svg.
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if rest.hasPrefix("\u{feff}") { rest = rest.dropFirst() }
        if rest.hasPrefix("<?xml"), let end = rest.range(of: "?>") { rest = rest[end.upperBound...].drop { $0.isWhitespace } }
        while rest.hasPrefix("<!--"), let end = rest.range(of: "-->") { rest = rest[end.upperBound...].drop { $0.isWhitespace } }
        // A DOCTYPE may come before the root, so it is named as what it is.
        if text.contains("<!doctype") || text.contains("<!entity") { return .failure(.svgScript("<!doctype>")) }
        guard rest.hasPrefix("<svg"), text.contains("</svg>") || text.contains("/>") else { return .failure(.notAnImage) }

        for tag in ["<script", "<foreignobject", "<!doctype", "<!entity", "<iframe", "<embed", "<object", "<handler", "<listener"]
        where text.contains(tag) {
            return .failure(.svgScript(tag + ">"))
        }
        if text.contains("javascript:") || text.contains("vbscript:") { return .failure(.svgScript("javascript:")) }
        // Event attributes: on…= anywhere inside a tag.
        if let match = text.range(of: #"[\s"'/]on[a-z]+\s*="#, options: .regularExpression) {
            return .failure(.svgScript(String(text[match]).trimmingCharacters(in: .whitespaces)))
        }
        if text.contains("@import") { return .failure(.svgExternal("@import")) }
        // Every reference stays inside the file.
        let references = [#"(?:xlink:)?href\s*=\s*["']([^"']*)["']"#, #"url\(\s*["']?([^)"']*)"#]
        for pattern in references {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let ns = text as NSString
            for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let target = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: .whitespaces)
                if target.hasPrefix("#") || target.hasPrefix("data:image/png") || target.hasPrefix("data:image/jpeg") { continue }
                return .failure(.svgExternal(target.isEmpty ? "href" : String(target.prefix(80))))
            }
        }
        return .success(.svg)
    }
}
