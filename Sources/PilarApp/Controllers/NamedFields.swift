import Foundation
import Vapor

/// A form (or query) whose field names come from the instrument (`effort_CODE`, `indicator_CODE`,
/// `l_CODE`), so no struct can list them: every value by its name, without the spaces and line
/// breaks around it, the CSRF token left out. A name posted more than once keeps its first value.
struct NamedFields: Content {
    private(set) var values: [String: String]

    init(_ values: [String: String] = [:]) { self.values = values }

    subscript(name: String) -> String? { values[name] }

    var names: Dictionary<String, String>.Keys { values.keys }

    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        var values: [String: String] = [:]
        for key in container.allKeys where key.stringValue != "_csrf" {
            let text = (try? container.decode(String.self, forKey: key))
                ?? (try? container.decode([String].self, forKey: key))?.first ?? ""
            values[key.stringValue] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.values = values
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        for (name, value) in values { try container.encode(value, forKey: Name(stringValue: name)) }
    }
}
