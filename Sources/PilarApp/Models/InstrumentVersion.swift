import Fluent
import Foundation

/// An imported instrument file. Never changed once imported: a new edition gets a new key.
final class InstrumentVersion: Model, @unchecked Sendable {
    static let schema = "instrument_versions"

    @ID(key: .id) var id: UUID?
    /// The file's `id`, e.g. `spbe-2020`.
    @Field(key: "key") var key: String
    @Field(key: "title") var title: String
    @Field(key: "authority") var authority: String
    @Field(key: "edition") var edition: String
    @Field(key: "is_model") var isModel: Bool
    /// The file as imported; parsed (and cached) for scoring.
    @Field(key: "source") var source: String
    @Field(key: "sha256") var sha256: String
    @Field(key: "imported_at") var importedAt: Date

    init() {}

    init(key: String, title: String, authority: String, edition: String, isModel: Bool, source: String,
         sha256: String, importedAt: Date) {
        self.key = key
        self.title = title
        self.authority = authority
        self.edition = edition
        self.isModel = isModel
        self.source = source
        self.sha256 = sha256
        self.importedAt = importedAt
    }
}
