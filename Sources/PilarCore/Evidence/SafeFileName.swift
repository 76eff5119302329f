/// Untrusted file names (an upload's `filename`) reduced to what Pilar may show and serve.
///
/// An uploaded name can hold NUL, control, DEL, bidirectional-override and path characters: a name
/// like `laporan.html\0.pdf` passes an extension check as `.pdf` and is read back cut at the NUL
/// as `laporan.html`. Pilar therefore never serves a name built from the upload: it serves a safe
/// stem plus the extension whose bytes were verified, and keeps the cleaned original only to show it.
public enum SafeFileName {
    /// Control, format (bidirectional marks and overrides, zero-width and invisible operators, tags),
    /// line and paragraph separators, private-use, surrogate and unassigned code points: nothing a
    /// name needs, and each can hide or reorder what the reader sees.
    static func isControlOrInvisible(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: true
        default: s.value == 0x7F
        }
    }

    /// The name as the user may see it: control, DEL and invisible layout characters removed,
    /// only the last path component, at most `maxLength` characters (the extension kept).
    public static func cleanOriginal(_ raw: String, maxLength: Int = 255) -> String {
        let scalars = raw.unicodeScalars.filter { !isControlOrInvisible($0) }
        var text = String(String.UnicodeScalarView(scalars))
        if let slash = text.lastIndex(where: { $0 == "/" || $0 == "\\" }) { text = String(text[text.index(after: slash)...]) }
        text = text.trimmingSpaces()
        guard text.count > maxLength else { return text }
        if let ext = FileSniffer.fileExtension(text), ext.count < 16 {
            return String(text.prefix(maxLength - ext.count - 1)) + "." + ext
        }
        return String(text.prefix(maxLength))
    }

    /// A name safe everywhere a file is served or unpacked — a download's `Content-Disposition`,
    /// an entry in a ZIP, a link in the bundle's index: ASCII letters, digits, `-`, `_` and `.`
    /// in the stem, then `.` and `verifiedExtension` (the extension whose bytes were checked).
    /// The stem comes from `original` without its extension; at most `maxLength` characters in all.
    public static func served(original: String, verifiedExtension: String, maxLength: Int = 120) -> String {
        let ext = String(verifiedExtension.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
            .map(Character.init)).prefix(10)
        let cleaned = cleanOriginal(original)
        var stem = cleaned
        if let dot = cleaned.lastIndex(of: "."), dot != cleaned.startIndex { stem = String(cleaned[..<dot]) }
        var out = ""
        var lastWasFiller = false
        for s in stem.unicodeScalars {
            let keep = s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == ".")
            if keep {
                out.unicodeScalars.append(s)
                lastWasFiller = false
            } else if !lastWasFiller {
                out += "_"
                lastWasFiller = true
            }
        }
        var trimmed = Substring(out)
        while let c = trimmed.first, c == "." || c == "_" || c == "-" { trimmed = trimmed.dropFirst() }
        while let c = trimmed.last, c == "." || c == "_" || c == "-" { trimmed = trimmed.dropLast() }
        let room = max(1, maxLength - (ext.isEmpty ? 0 : ext.count + 1))
        var base = String(trimmed.prefix(room))
        while let c = base.last, c == "." || c == "_" || c == "-" { base.removeLast() }
        if base.isEmpty { base = "berkas" }
        return ext.isEmpty ? base : base + "." + ext
    }
}
