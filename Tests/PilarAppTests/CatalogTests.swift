import Foundation
import Testing
@testable import PilarApp
import PilarCore

/// One catalogue per language, with the same keys, holding every text the pages ask for.
@Suite("The text catalogue")
struct CatalogTests {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func languagesHaveTheSameKeysAndNoEmptyTexts() throws {
        let catalog = try Catalog.load(directory: root)
        let id = catalog.strings(.id).table, en = catalog.strings(.en).table
        #expect(Set(id.keys).subtracting(en.keys).sorted() == [])
        #expect(Set(en.keys).subtracting(id.keys).sorted() == [])
        #expect(id.filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
        #expect(en.filter { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }.keys.sorted() == [])
        // placeholders match between the languages
        func placeholders(_ text: String) -> Set<String> {
            Set(text.matches(of: /\{[a-z_]+\}/).map { String($0.output) })
        }
        for (key, text) in id {
            #expect(placeholders(text) == placeholders(en[key] ?? ""), "\(key)")
        }
    }

    @Test func everyTextATemplateAsksForExists() throws {
        let catalog = try Catalog.load(directory: root).strings(.id).table
        let views = (root as NSString).appendingPathComponent("Resources/Views")
        var missing: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: views) where file.hasSuffix(".leaf") {
            let text = try String(contentsOfFile: (views as NSString).appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /page\.t\.([a-z0-9_]+)/) where catalog[String(match.output.1)] == nil {
                missing.append("\(file): \(match.output.1)")
            }
        }
        #expect(missing == [])
    }
}

@Suite("Numbers as people type them")
struct TypedNumberTests {
    @Test func commasDotsAndThousands() {
        func value(_ text: String) -> Double?? {
            FieldErrors.parseNumber(text)
        }
        #expect(value("3,4") == .some(3.4))
        #expect(value("3.4") == .some(3.4))
        #expect(value("10.400") == .some(10400))
        #expect(value("1.250.000,5") == .some(1_250_000.5))
        #expect(value(" 42 ") == .some(42))
        #expect(value("") == .some(nil))
        #expect(value("tiga") == nil)
        #expect(value("inf") == nil)
    }
}
