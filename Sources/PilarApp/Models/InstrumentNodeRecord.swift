import Fluent
import Foundation

/// One group or indicator of an imported instrument, for queries and reports.
final class InstrumentNodeRecord: Model, @unchecked Sendable {
    static let schema = "instrument_nodes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "version_id") var version: InstrumentVersion
    @Field(key: "code") var code: String
    @OptionalField(key: "parent_code") var parentCode: String?
    /// Code of the top-level group the node sits in.
    @Field(key: "top_code") var topCode: String
    /// `group` or `indicator`.
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "weight") var weight: Double
    @OptionalField(key: "pillar") var pillar: String?
    @OptionalField(key: "element") var element: String?
    @Field(key: "na_allowed") var naAllowed: Bool
    /// Pre-order position in the tree.
    @Field(key: "position") var position: Int
    @Field(key: "depth") var depth: Int

    init() {}
}
