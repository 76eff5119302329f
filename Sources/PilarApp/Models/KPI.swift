import Fluent
import Foundation
import PilarCore

/// A key performance indicator of a programme, measured per period.
final class KPI: Model, @unchecked Sendable {
    static let schema = "kpis"

    typealias Frequency = KPIFrequency

    @ID(key: .id) var id: UUID?
    @Parent(key: "programme_id") var programme: Programme
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "unit") var unit: String
    @Field(key: "higher_is_better") var higherIsBetter: Bool
    @OptionalField(key: "baseline") var baseline: Double?
    @Field(key: "frequency") var frequency: Frequency
    init() {}
    init(programmeID: UUID, position: Int, name: String, unit: String, higherIsBetter: Bool = true, baseline: Double?,
         frequency: Frequency) {
        self.$programme.id = programmeID
        self.position = position
        self.name = name
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.baseline = baseline
        self.frequency = frequency
    }
}

/// A KPI's target for one period (`2022-03`, `2022-Q1` or `2022`).
final class KPITarget: Model, @unchecked Sendable {
    static let schema = "kpi_targets"
    @ID(key: .id) var id: UUID?
    @Parent(key: "kpi_id") var kpi: KPI
    @Field(key: "period") var period: String
    @Field(key: "target") var target: Double
    init() {}
    init(kpiID: UUID, period: String, target: Double) {
        self.$kpi.id = kpiID
        self.period = period
        self.target = target
    }
}

/// What a KPI reached in one period, entered by the owning agency.
final class KPIRealisation: Model, @unchecked Sendable {
    static let schema = "kpi_realisations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "kpi_id") var kpi: KPI
    @Field(key: "period") var period: String
    @Field(key: "value") var value: Double
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "evidence_id") var evidenceID: UUID?
    @Field(key: "entered_by") var enteredBy: String
    @Field(key: "entered_at") var enteredAt: Date
    init() {}
    init(kpiID: UUID, period: String, value: Double, note: String?, enteredBy: String, at: Date) {
        self.$kpi.id = kpiID
        self.period = period
        self.value = value
        self.note = note
        self.enteredBy = enteredBy
        self.enteredAt = at
    }
}
