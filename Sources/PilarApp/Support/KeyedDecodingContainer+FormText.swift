import Foundation

extension KeyedDecodingContainer {
    /// A posted text field trimmed of whitespace and newlines, as forms have always been read; nil
    /// when it was not sent (or was not text).
    func formText(_ key: Key) -> String? {
        guard let text = try? decodeIfPresent(String.self, forKey: key) else { return nil }
        return Optional(text).formText
    }

    /// Every value posted under `name[]` (a checkbox list); nil when none was sent.
    func formList(_ key: Key) -> [String]? {
        try? decodeIfPresent([String].self, forKey: key)
    }
}
