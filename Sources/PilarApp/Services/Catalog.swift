import Foundation
import Leaf
import LeafKit
import Vapor

/// Languages of the interface: Bahasa Indonesia first, English second.
enum Language: String, Codable, CaseIterable, Sendable {
    case id, en

    var other: Language { self == .id ? .en : .id }
}

/// The text catalogue: one JSON file per language under `Resources/Locales/`.
struct Catalog: Sendable {
    struct Strings: Sendable, Encodable, LeafDataRepresentable {
        let language: Language
        let table: [String: String]
        /// The table as template data, made once: every page hands the catalogue to its template,
        /// and encoding some 800 strings per request would cost more than the page itself.
        let leafData: LeafData

        init(language: Language, table: [String: String]) {
            self.language = language
            self.table = table
            leafData = .dictionary(table.mapValues { .string($0) })
        }

        /// The text for `key`; a missing key shows itself in brackets so it is noticed.
        subscript(_ key: String) -> String { table[key] ?? "[\(key)]" }

        func lookup(_ key: String) -> String? { table[key] }

        /// Replaces `{name}` placeholders.
        func format(_ key: String, _ values: [String: String]) -> String {
            values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }

        func encode(to encoder: any Encoder) throws {
            try table.encode(to: encoder)
        }
    }

    let byLanguage: [Language: Strings]

    func strings(_ language: Language) -> Strings {
        byLanguage[language] ?? Strings(language: language, table: [:])
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static func load(directory: String) throws -> Catalog {
        var result: [Language: Strings] = [:]
        for language in Language.allCases {
            let path = (directory as NSString).appendingPathComponent("Resources/Locales/\(language.rawValue).json")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadError(description: "PILAR_ROOT: the text catalogue \(path) is missing; run Pilar from its folder or set PILAR_ROOT")
            }
            do {
                let table = try JSONDecoder().decode([String: String].self, from: data)
                result[language] = Strings(language: language, table: table)
            } catch {
                throw LoadError(description: "the text catalogue \(path) is not valid JSON: \(error)")
            }
        }
        return Catalog(byLanguage: result)
    }
}

extension Application {
    private struct CatalogKey: StorageKey { typealias Value = Catalog }

    var catalog: Catalog {
        get { storage[CatalogKey.self] ?? Catalog(byLanguage: [:]) }
        set { storage[CatalogKey.self] = newValue }
    }
}
