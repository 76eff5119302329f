import Fluent
import Foundation
import PilarCore

/// A masterplan programme of a pillar (and optionally one of its elements); a quick win is one
/// marked for a year.
final class Programme: Model, @unchecked Sendable {
    static let schema = "programmes"

    typealias Horizon = ProgrammeHorizon
    typealias Status = ProgrammeStatus

    @ID(key: .id) var id: UUID?
    @Parent(key: "region_id") var region: Region
    @Field(key: "pillar_code") var pillarCode: String
    @OptionalField(key: "element_code") var elementCode: String?
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "horizon") var horizon: Horizon
    @OptionalParent(key: "owner_agency_id") var owner: Agency?
    @Field(key: "start_year") var startYear: Int
    @Field(key: "end_year") var endYear: Int
    @Field(key: "status") var status: Status
    /// 0…100.
    @Field(key: "progress") var progress: Int
    /// The year it is a quick win of, if it is one.
    @OptionalField(key: "quick_win_year") var quickWinYear: Int?
    /// Shown on the public page (issue 5) when the coordinator publishes it.
    @Field(key: "is_public") var isPublic: Bool
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(regionID: UUID, pillarCode: String, title: String, horizon: Horizon, ownerID: UUID?, startYear: Int, endYear: Int,
         status: Status, progress: Int, quickWinYear: Int? = nil) {
        self.$region.id = regionID
        self.pillarCode = pillarCode
        self.title = title
        self.horizon = horizon
        self.$owner.id = ownerID
        self.startYear = startYear
        self.endYear = endYear
        self.status = status
        self.progress = progress
        self.quickWinYear = quickWinYear
        self.isPublic = false
    }
}

/// A supporting agency of a programme.
final class ProgrammeSupport: Model, @unchecked Sendable {
    static let schema = "programme_supports"
    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "agency_id") var agency: Agency
    init() {}
    init(programmeID: UUID, agencyID: UUID) {
        self.$programme.id = programmeID
        self.$agency.id = agencyID
    }
}

/// A programme's budget for one year, in whole Rupiah: from the city budget (APBD) and other sources.
final class ProgrammeBudget: Model, @unchecked Sendable {
    static let schema = "programme_budgets"
    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "year") var year: Int
    @Field(key: "apbd") var apbd: Int64
    @Field(key: "other") var other: Int64
    init() {}
    init(programmeID: UUID, year: Int, apbd: Int64, other: Int64) {
        self.$programme.id = programmeID
        self.year = year
        self.apbd = apbd
        self.other = other
    }
}

/// A dated milestone of a programme.
final class Milestone: Model, @unchecked Sendable {
    static let schema = "programme_milestones"
    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "done") var done: Bool
    @OptionalField(key: "done_on") var doneOn: String?
    init() {}
    init(programmeID: UUID, position: Int, title: String, dueOn: String?, done: Bool = false, doneOn: String? = nil) {
        self.$programme.id = programmeID
        self.position = position
        self.title = title
        self.dueOn = dueOn
        self.done = done
        self.doneOn = doneOn
    }
}

/// An indicator a programme is meant to raise (its documents can back that indicator).
final class ProgrammeIndicator: Model, @unchecked Sendable {
    static let schema = "programme_indicators"
    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "indicator_code") var indicatorCode: String
    init() {}
    init(programmeID: UUID, indicatorCode: String) {
        self.$programme.id = programmeID
        self.indicatorCode = indicatorCode
    }
}

/// A risk of a programme: likelihood and impact 1 (low) … 3 (high).
final class Risk: Model, @unchecked Sendable {
    static let schema = "risks"
    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "risk") var risk: String
    @OptionalField(key: "cause") var cause: String?
    @Field(key: "likelihood") var likelihood: Int
    @Field(key: "impact") var impact: Int
    @OptionalField(key: "mitigation") var mitigation: String?
    @OptionalParent(key: "owner_agency_id") var owner: Agency?
    init() {}
}

/// A document of a programme: evidence in its owner's library, so it can also back the
/// programme's indicators, KPI figures and follow-ups.
final class ProgrammeDocument: Model, @unchecked Sendable {
    static let schema = "programme_documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Parent(key: "evidence_id") var evidence: Evidence
    init() {}
    init(programmeID: UUID, evidenceID: UUID) {
        self.$programme.id = programmeID
        self.$evidence.id = evidenceID
    }
}
