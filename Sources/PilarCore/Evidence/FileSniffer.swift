/// Decides whether an uploaded file is what its name and declared type say, from its first bytes.
public enum FileSniffer {
    public enum Kind: String, Sendable {
        case pdf, zipOffice, legacyOffice, png, jpeg, text
    }

    /// Extensions Pilar knows, with the content type it serves them as and the kind their bytes must be.
    public static let known: [String: (contentType: String, kind: Kind)] = [
        "pdf": ("application/pdf", .pdf),
        "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", .zipOffice),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", .zipOffice),
        "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", .zipOffice),
        "odt": ("application/vnd.oasis.opendocument.text", .zipOffice),
        "ods": ("application/vnd.oasis.opendocument.spreadsheet", .zipOffice),
        "odp": ("application/vnd.oasis.opendocument.presentation", .zipOffice),
        "doc": ("application/msword", .legacyOffice),
        "xls": ("application/vnd.ms-excel", .legacyOffice),
        "ppt": ("application/vnd.ms-powerpoint", .legacyOffice),
        "png": ("image/png", .png),
        "jpg": ("image/jpeg", .jpeg),
        "jpeg": ("image/jpeg", .jpeg),
        "csv": ("text/csv", .text),
        "txt": ("text/plain", .text),
    ]

    public static let defaultAllowed: Set<String> = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls",
                                                     "ppt", "png", "jpg", "jpeg", "csv"]

    /// What the first bytes are.
    public static func sniff(_ head: [UInt8]) -> Kind? {
        func starts(_ signature: [UInt8]) -> Bool { head.count >= signature.count && Array(head.prefix(signature.count)) == signature }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .zipOffice }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .legacyOffice }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if !head.isEmpty, !head.contains(0), String(validating: head.prefix(2048), as: UTF8.self) != nil
            || String(validating: head.dropLast(3), as: UTF8.self) != nil {
            return .text
        }
        return nil
    }

    public struct Rejection: Error, Sendable, Equatable {
        /// Catalogue key and its values.
        public var key: String
        public var values: [String: String]
    }

    /// The file's extension (lowercased), or nil.
    public static func fileExtension(_ filename: String) -> String? {
        guard let dot = filename.lastIndex(of: "."), dot != filename.startIndex else { return nil }
        let ext = filename[filename.index(after: dot)...].lowercased()
        return ext.isEmpty ? nil : ext
    }

    /// Checks the name's extension is allowed and the bytes match it; returns the content type to serve.
    public static func check(filename: String, head: [UInt8], allowed: Set<String>) -> Result<String, Rejection> {
        guard let ext = fileExtension(filename), allowed.contains(ext), let entry = known[ext] else {
            return .failure(Rejection(key: "evidence_type_not_allowed",
                                      values: ["types": allowed.sorted().joined(separator: ", ")]))
        }
        guard let actual = sniff(head) else {
            return .failure(Rejection(key: "evidence_type_mismatch", values: ["ext": ext]))
        }
        guard actual == entry.kind else {
            return .failure(Rejection(key: "evidence_type_mismatch", values: ["ext": ext]))
        }
        return .success(entry.contentType)
    }
}

extension FileSniffer {
    /// The extension a stored file is served with: the original name's, when it is one Pilar
    /// checked for this content type, else the first known extension of that type.
    public static func servedExtension(original: String, contentType: String) -> String {
        if let ext = fileExtension(original), known[ext]?.contentType == contentType { return ext }
        return known.filter { $0.value.contentType == contentType }.keys.sorted().first ?? "bin"
    }

    /// The name a stored file is served and packed with (see `SafeFileName.served`).
    public static func servedName(original: String, contentType: String, maxLength: Int = 120) -> String {
        SafeFileName.served(original: original, verifiedExtension: servedExtension(original: original, contentType: contentType),
                            maxLength: maxLength)
    }
}
