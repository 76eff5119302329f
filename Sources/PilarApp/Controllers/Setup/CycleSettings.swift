import Foundation
import PilarCore

/// A cycle's target, evaluation date, status and stage dates as checked from the set-up form (a new
/// cycle and a cycle's own page share them).
struct CycleSettings {
    /// The stages every cycle has, in order.
    static let stageKinds = ["self_assessment", "stage1", "impact_survey", "stage2", "result_letter"]

    var target: Double?
    var evaluationDate: String?
    var status: Cycle.Status
    /// Stage kind → start and end day (`YYYY-MM-DD`), nil when not given.
    var stages: [String: (String?, String?)]

    /// Checks the fields; problems keyed by field (`stage_{kind}` for a stage's two dates).
    static func check(_ form: CycleAdminController.Form, scale: LevelScale?, t: Catalog.Strings) -> (CycleSettings, [String: String]) {
        var checks = FieldErrors()
        let target = checks.number("target_index", form.targetIndex)
        let evaluation = checks.date("evaluation_date", form.evaluationDate)
        let status = Cycle.Status(rawValue: form.status ?? "")
        if status == nil { checks.add("status", "setup_status_unknown") }
        var stages: [String: (String?, String?)] = [:]
        for kind in stageKinds {
            let typed = form.stages[kind] ?? .init()
            let start = checks.date("stage_\(kind)", typed.start), end = checks.date("stage_\(kind)", typed.end)
            if let start, let end, end < start { checks.add("stage_\(kind)", "setup_stage_end_before_start") }
            stages[kind] = (start, end)
        }
        var errors = checks.messages(t)
        if let target, let scale, !(scale.min...scale.max).contains(target) {
            errors["target_index"] = t.format("setup_target_range", ["min": InstrumentText.level(scale.min),
                                                                     "max": InstrumentText.level(scale.max)])
        }
        return (CycleSettings(target: target, evaluationDate: evaluation, status: status ?? .planning, stages: stages), errors)
    }
}
