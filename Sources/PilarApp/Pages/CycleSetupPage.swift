import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/cycles/{year}`: one cycle's target, evaluation date, status and stage dates.
enum CycleSetupPage {
    typealias Form = CycleAdminController.Form

    /// One stage's two dates in `setup_cycle_fields`.
    struct StageField: Encodable {
        var kind: String
        var label: String
        var start: String
        var end: String
        var error: String?
    }

    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var form: Form
        var errors: [String: String]
        var statuses: [Setup.Option]
        var stages: [StageField]
        var saved: String?
        var action: String
        var editing: Int
        var editingInstrument: String?
        /// The list of cycles.
        var back: String
    }

    /// - Parameter form: what was typed; nil shows the stored settings.
    static func build(
        _ req: Request, cycle: Cycle, form: Form? = nil, errors: [String: String] = [:], saved: String? = nil
    ) async throws -> Context {
        try req.authorize(.manageCycles)
        let t = req.t
        let shown: Form
        if let form {
            shown = form
        } else {
            var stored = Form(targetIndex: cycle.targetIndex.map(InstrumentText.level) ?? "",
                              evaluationDate: cycle.evaluationDate ?? "", status: cycle.status.rawValue)
            for stage in try await CycleStage.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).all() {
                stored.stages[stage.kind] = .init(start: stage.startsOn ?? "", end: stage.endsOn ?? "")
            }
            shown = stored
        }
        return Context(page: PageChrome(request: req, title: "\(t["setup_cycle"]) \(cycle.year)"), tabs: try Setup.tabs(req),
                       form: shown, errors: errors, statuses: statuses(shown, t), stages: stages(shown, errors, t),
                       saved: saved == "updated" ? t["setup_saved_updated"] : nil,
                       action: SiteURL.adminCycle(year: cycle.year).path, editing: cycle.year,
                       editingInstrument: try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db).instrument.title,
                       back: SiteURL.adminCycles.path)
    }

    /// The status select, `form`'s status chosen.
    static func statuses(_ form: Form, _ t: Catalog.Strings) -> [Setup.Option] {
        Cycle.Status.allCases.map {
            Setup.Option(value: $0.rawValue, label: t["cycle_status_\($0.rawValue)"], selected: $0.rawValue == form.status)
        }
    }

    /// Every stage's dates as typed, with its error.
    static func stages(_ form: Form, _ errors: [String: String], _ t: Catalog.Strings) -> [StageField] {
        CycleSettings.stageKinds.map { kind in
            StageField(kind: kind, label: t["stage_kind_\(kind)"], start: form.stages[kind]?.start ?? "",
                       end: form.stages[kind]?.end ?? "", error: errors["stage_\(kind)"])
        }
    }
}
