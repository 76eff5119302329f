import Fluent
import Testing
@testable import PilarApp

/// Models that list their Fluent properties by hand (for speed) list every one of them, in the
/// order reflection finds them.
@Suite("Hand-listed model properties")
struct ModelPropertiesTests {
    func reflected(_ model: some Fields) -> [String] {
        Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { "\(type(of: $0))" }
    }

    func keys(_ properties: [any AnyProperty]) -> [[FieldKey]] {
        properties.compactMap { ($0 as? any AnyDatabaseProperty)?.keys }
    }

    @Test func theUserListsEveryProperty() {
        let user = User()
        let mirrored = Mirror(reflecting: user).children.compactMap { $0.value as? any AnyProperty }
        #expect(user.properties.count == mirrored.count)
        #expect(user.properties.map { "\(type(of: $0))" } == reflected(user))
        #expect(keys(user.properties) == keys(mirrored))
        #expect(keys(user.properties).flatMap { $0 }.map(\.description).contains("email"))
    }
}
