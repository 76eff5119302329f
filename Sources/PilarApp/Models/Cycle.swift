import Fluent
import Foundation

/// One year's evaluation of a region, pinned to the instrument version it is scored with.
final class Cycle: Model, @unchecked Sendable {
    static let schema = "cycles"

    enum Status: String, Codable, CaseIterable, Sendable {
        case planning, selfAssessment = "self_assessment", verification, submitted, closed
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @Field(key: "year") var year: Int
    @Parent(key: "instrument_version_id") var instrumentVersion: InstrumentVersion
    @OptionalField(key: "target_index") var targetIndex: Double?
    @Field(key: "status") var status: Status
    /// Calendar date of the ministry's evaluation, `YYYY-MM-DD`.
    @OptionalField(key: "evaluation_date") var evaluationDate: String?
    @Field(key: "is_demo") var isDemo: Bool
    /// The coordinator publishes the official result on the public page.
    @OptionalField(key: "official_public") var officialPublic: Bool?

    init() {}

    init(regionID: UUID, year: Int, instrumentVersionID: UUID, targetIndex: Double?, status: Status,
         evaluationDate: String?, isDemo: Bool = false) {
        self.$region.id = regionID
        self.year = year
        self.$instrumentVersion.id = instrumentVersionID
        self.targetIndex = targetIndex
        self.status = status
        self.evaluationDate = evaluationDate
        self.isDemo = isDemo
    }
}
