import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/cycles`: the region's cycles with their progress, and the form that starts a new one
/// (optionally copying last year's assignments, targets and evidence).
enum CyclesSetupPage {
    typealias Form = CycleAdminController.Form

    struct CycleRow: Encodable {
        var year: Int
        var instrument: String
        var target: String
        var status: String
        var evaluation: String?
        var answered: String
        var edit: String
        var assignments: String
    }

    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var cycles: [CycleRow]
        var form: Form
        var errors: [String: String]
        var instruments: [Setup.Option]
        var statuses: [Setup.Option]
        var stages: [CycleSetupPage.StageField]
        var copyYears: [Setup.Option]
        var saved: String?
        var action: String
    }

    /// - Parameters:
    ///   - form: what was typed; nil proposes the year after the latest cycle, copying everything from it.
    ///   - saved: what the last save reported (`created` with its copy counts, or `updated`).
    static func build(
        _ req: Request, form: Form? = nil, errors: [String: String] = [:], saved: CycleAdminController.SavedQuery? = nil
    ) async throws -> Context {
        try req.authorize(.manageCycles)
        let t = req.t, lang = req.language
        let region = try await req.currentRegion()
        let cycles = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .sort(\.$year, .descending).with(\.$instrumentVersion).all()
        let cycleIDs = cycles.compactMap(\.id)
        let assessments = cycleIDs.isEmpty ? [] : try await Assessment.query(on: req.db).filter(\.$cycle.$id ~~ cycleIDs).all()
        let rows = cycles.map { c in
            let own = assessments.filter { $0.$cycle.id == c.id }
            let answered = own.filter { $0.status.isSubmitted }.count
            return CycleRow(
                year: c.year, instrument: c.instrumentVersion.title,
                target: c.targetIndex.map { Format.decimal(String(format: "%.2f", $0), lang) } ?? "–",
                status: t["cycle_status_\(c.status.rawValue)"], evaluation: Format.date(c.evaluationDate, t),
                answered: "\(answered) / \(own.count)", edit: SiteURL.adminCycle(year: c.year).path,
                assignments: SiteURL.assignments(year: c.year).path)
        }
        let shown = form ?? proposal(after: cycles.first, now: req.now)
        let versions = try await InstrumentVersion.query(on: req.db).sort(\.$importedAt, .descending).all()
        let instruments = versions.compactMap { v in
            v.id.map { id in
                Setup.Option(value: id.uuidString, label: "\(v.title) (\(v.edition))\(v.isModel ? " — MODEL" : "")",
                             selected: id.uuidString == shown.instrument)
            }
        }
        let copyYears = [Setup.Option(value: "", label: t["setup_copy_none"], selected: (shown.copyFrom ?? "").isEmpty)]
            + cycles.map { Setup.Option(value: String($0.year), label: String($0.year), selected: String($0.year) == shown.copyFrom) }
        return Context(page: PageChrome(request: req, title: t["setup_cycles"]), tabs: try Setup.tabs(req), cycles: rows,
                       form: shown, errors: errors, instruments: instruments, statuses: CycleSetupPage.statuses(shown, t),
                       stages: CycleSetupPage.stages(shown, errors, t), copyYears: copyYears, saved: message(saved, t),
                       action: SiteURL.adminCycles.path)
    }

    /// The new-cycle form as first shown: the year after `latest` (at least this year), its instrument,
    /// copying everything from it.
    static func proposal(after latest: Cycle?, now: Date) -> Form {
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: now)
        var form = Form(year: String(max(thisYear, (latest?.year ?? 0) + 1)), copyAssignments: "1", copyTargets: "1",
                        copyEvidence: "1", status: Cycle.Status.planning.rawValue)
        if let latest { form.copyFrom = String(latest.year); form.instrument = latest.$instrumentVersion.id.uuidString }
        return form
    }

    static func message(_ saved: CycleAdminController.SavedQuery?, _ t: Catalog.Strings) -> String? {
        switch saved?.saved {
        case "created":
            guard let saved, let a = saved.assignments else { return t["setup_saved_created"] }
            return t["setup_saved_created"] + " " + t.format("setup_cycle_copied", [
                "assignments": String(a), "targets": String(saved.targets ?? 0),
                "evidence": String(saved.evidence ?? 0), "skipped": String(saved.skipped ?? 0),
            ])
        case "updated": return t["setup_saved_updated"]
        default: return nil
        }
    }
}
