import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/cycles`: the region's evaluation cycles — start a new one (optionally from last year's)
/// and change a cycle's target, evaluation date, status and stage dates.
enum CycleAdminController {
    static let stageKinds = ["self_assessment", "stage1", "impact_survey", "stage2", "result_letter"]

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

    struct StageField: Encodable {
        var kind: String
        var label: String
        var start: String
        var end: String
        var error: String?
    }

    struct Page: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var cycles: [CycleRow]
        var form: [String: String]
        var errors: [String: String]
        var instruments: [Setup.Option]
        var statuses: [Setup.Option]
        var stages: [StageField]
        var copyYears: [Setup.Option]
        var saved: String?
        var action: String
        /// The cycle being changed (`/admin/cycles/{year}`), else nil for the list and the new-cycle form.
        var editing: Int?
        var editingInstrument: String?
    }

    struct SavedQuery: Content {
        var saved: String?
        var assignments: Int?
        var targets: Int?
        var evidence: Int?
        var skipped: Int?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try req.authorize(.manageCycles)
        let q = try? req.query.decode(SavedQuery.self)
        var saved: String?
        if q?.saved == "created" {
            saved = req.t["setup_saved_created"]
            if let q, let a = q.assignments {
                saved! += " " + req.t.format("setup_cycle_copied", ["assignments": String(a), "targets": String(q.targets ?? 0),
                                                                    "evidence": String(q.evidence ?? 0), "skipped": String(q.skipped ?? 0)])
            }
        } else if q?.saved == "updated" {
            saved = req.t["setup_saved_updated"]
        }
        let nextYear = Calendar(identifier: .gregorian).component(.year, from: req.now)
        let region = try await req.currentRegion()
        let latest = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$year, .descending).first()
        var form = ["year": String(max(nextYear, (latest?.year ?? 0) + 1)), "status": Cycle.Status.planning.rawValue,
                    "copy_assignments": "1", "copy_targets": "1", "copy_evidence": "1"]
        if let latest { form["copy_from"] = String(latest.year); form["instrument"] = latest.$instrumentVersion.id.uuidString }
        return try await render(req, form: form, saved: saved)
    }

    static func render(
        _ req: Request, form: [String: String], errors: [String: String] = [:], saved: String? = nil, editing: Cycle? = nil
    ) async throws -> View {
        try req.authorize(.manageCycles)
        let t = req.t, lang = req.language
        let region = try await req.currentRegion()
        let cycles = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .sort(\.$year, .descending).with(\.$instrumentVersion).all()
        let cycleIDs = cycles.compactMap(\.id)
        let assessments = cycleIDs.isEmpty ? [] : try await Assessment.query(on: req.db).filter(\.$cycle.$id ~~ cycleIDs).all()
        var rows: [CycleRow] = []
        for c in cycles {
            let own = assessments.filter { $0.$cycle.id == c.id }
            let answered = own.filter { $0.statusValue.isSubmitted }.count
            rows.append(CycleRow(
                year: c.year, instrument: c.instrumentVersion.title,
                target: c.targetIndex.map { Format.decimal(String(format: "%.2f", $0), lang) } ?? "–",
                status: t["cycle_status_\(c.status)"], evaluation: Format.date(c.evaluationDate, t),
                answered: "\(answered) / \(own.count)", edit: SiteURL.adminCycle(year: c.year).path,
                assignments: SiteURL.assignments(year: c.year).path))
        }
        let versions = try await InstrumentVersion.query(on: req.db).sort(\.$importedAt, .descending).all()
        let instruments = versions.map { v in
            Setup.Option(value: v.id?.uuidString ?? "", label: "\(v.title) (\(v.edition))\(v.isModel ? " — MODEL" : "")",
                         selected: v.id?.uuidString == form["instrument"])
        }
        let statuses = Cycle.Status.allCases.map {
            Setup.Option(value: $0.rawValue, label: t["cycle_status_\($0.rawValue)"], selected: $0.rawValue == form["status"])
        }
        let stages = stageKinds.map { kind in
            StageField(kind: kind, label: t["stage_kind_\(kind)"], start: form["stage_\(kind)_start"] ?? "",
                       end: form["stage_\(kind)_end"] ?? "", error: errors["stage_\(kind)"])
        }
        let copyYears = [Setup.Option(value: "", label: t["setup_copy_none"], selected: (form["copy_from"] ?? "").isEmpty)]
            + cycles.filter { $0.id != editing?.id }.map {
                Setup.Option(value: String($0.year), label: String($0.year), selected: String($0.year) == form["copy_from"])
            }
        let title = editing.map { "\(t["setup_cycle"]) \($0.year)" } ?? t["setup_cycles"]
        let page = Page(page: PageChrome(request: req, title: title), tabs: try Setup.tabs(req), cycles: rows, form: form,
                        errors: errors, instruments: instruments, statuses: statuses, stages: stages, copyYears: copyYears,
                        saved: saved, action: editing.map { SiteURL.adminCycle(year: $0.year).path } ?? SiteURL.adminCycles.path,
                        editing: editing?.year, editingInstrument: editing?.$instrumentVersion.value?.title)
        return try await req.view.render(editing == nil ? "setup_cycles" : "setup_cycle", page)
    }

    /// Target, evaluation date, status and stage dates, checked; problems keyed by field.
    struct Settings {
        var target: Double?
        var evaluationDate: String?
        var status: Cycle.Status
        var stages: [String: (String?, String?)]
    }

    static func settings(_ form: [String: String], scale: LevelScale?, t: Catalog.Strings) -> (Settings, [String: String]) {
        var errors: [String: String] = [:]
        var target: Double?
        switch Setup.number(form["target_index"]) {
        case let .success(value): target = value
        case .failure: errors["target_index"] = t["setup_number_invalid"]
        }
        if let target, let scale, !(scale.min...scale.max).contains(target) {
            errors["target_index"] = t.format("setup_target_range", ["min": InstrumentText.level(scale.min),
                                                                     "max": InstrumentText.level(scale.max)])
        }
        func date(_ key: String) -> String? {
            let v = form[key] ?? ""
            return v.isEmpty ? nil : v
        }
        let evaluation = date("evaluation_date")
        if let evaluation, !CalendarDate.isValid(evaluation) { errors["evaluation_date"] = t["evidence_date_invalid"] }
        let status = Cycle.Status(rawValue: form["status"] ?? "")
        if status == nil { errors["status"] = t["setup_status_unknown"] }
        var stages: [String: (String?, String?)] = [:]
        for kind in stageKinds {
            let start = date("stage_\(kind)_start"), end = date("stage_\(kind)_end")
            if [start, end].contains(where: { $0.map { !CalendarDate.isValid($0) } ?? false }) {
                errors["stage_\(kind)"] = t["evidence_date_invalid"]
            } else if let start, let end, end < start {
                errors["stage_\(kind)"] = t["setup_stage_end_before_start"]
            }
            stages[kind] = (start, end)
        }
        return (Settings(target: target, evaluationDate: evaluation, status: status ?? .planning, stages: stages), errors)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        let t = req.t
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let year = Int(form["year"] ?? "")
        if let year, (2000...2100).contains(year) {
            if try await Cycle.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$year == year).first() != nil {
                errors["year"] = t.format("setup_cycle_exists", ["year": String(year)])
            }
        } else {
            errors["year"] = t["setup_year_invalid"]
        }
        var version: InstrumentVersion?
        if let id = UUID(uuidString: form["instrument"] ?? "") { version = try await InstrumentVersion.find(id, on: req.db) }
        let compiled = try version.map { try req.application.instruments.compiled($0) }
        if version == nil { errors["instrument"] = t["setup_instrument_unknown"] }
        let (settings, settingErrors) = settings(form, scale: compiled?.instrument.scale, t: t)
        errors.merge(settingErrors) { a, _ in a }
        var source: Cycle?
        if let raw = form["copy_from"], !raw.isEmpty {
            if let y = Int(raw) {
                source = try await Cycle.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$year == y).first()
            }
            if source == nil { errors["copy_from"] = t["setup_copy_unknown"] }
        }
        guard errors.isEmpty, let year, let version, let compiled else {
            return try await render(req, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let catalogID = req.application.catalog.strings(.id)
        let options = CycleCopy.Options(assignments: form["copy_assignments"] == "1", targets: form["copy_targets"] == "1",
                                        evidence: form["copy_evidence"] == "1")
        // Evidence must still be valid on the evaluation date (or, without one, on 1 January of the year).
        let validOn = settings.evaluationDate ?? String(format: "%04d-01-01", year)
        let copySource = source
        let outcome = try await req.db.writeTransaction { tx -> CycleCopy.Outcome? in
            let cycle = Cycle(regionID: regionID, year: year, instrumentVersionID: try version.requireID(),
                              targetIndex: settings.target, status: settings.status, evaluationDate: settings.evaluationDate)
            try await cycle.create(on: tx)
            let cycleID = try cycle.requireID()
            for (i, kind) in stageKinds.enumerated() {
                let dates = settings.stages[kind] ?? (nil, nil)
                try await CycleStage(cycleID: cycleID, position: i, kind: kind, name: catalogID["stage_kind_\(kind)"],
                                     startsOn: dates.0, endsOn: dates.1).create(on: tx)
            }
            var copied: CycleCopy.Outcome?
            if let copySource {
                copied = try await CycleCopy.copy(from: copySource, to: cycle, codes: Set(compiled.indicatorCodes),
                                                  options: options, validOn: validOn, on: tx)
            }
            var changes: [AuditLog.Change] = [
                .init(field: "instrument", before: nil, after: version.key),
                .init(field: "target_index", before: nil, after: AuditLog.text(settings.target)),
                .init(field: "evaluation_date", before: nil, after: settings.evaluationDate),
                .init(field: "status", before: nil, after: settings.status.rawValue),
            ]
            if let copySource, let copied {
                changes.append(.init(field: "copied_from", before: nil,
                                     after: "\(copySource.year): \(copied.assignments) / \(copied.targets) / \(copied.evidence)"))
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: cycleID, entity: "cycle", key: String(year),
                                      action: "create", changes: changes, actor: user)
            return copied
        }
        var target = SiteURL.adminCycles.path + "?saved=created"
        if let outcome {
            target += "&assignments=\(outcome.assignments)&targets=\(outcome.targets)&evidence=\(outcome.evidence)&skipped=\(outcome.skipped.count)"
        }
        return req.redirect(to: target)
    }

    static func find(_ req: Request) async throws -> (Region, Cycle) {
        let region = try await req.currentRegion()
        guard let year = req.parameters.get("year", as: Int.self),
              let cycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
                .filter(\.$year == year).with(\.$instrumentVersion).first()
        else { throw Abort(.notFound) }
        return (region, cycle)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        try req.authorize(.manageCycles)
        let (_, cycle) = try await find(req)
        var form: [String: String] = [
            "target_index": cycle.targetIndex.map(InstrumentText.level) ?? "",
            "evaluation_date": cycle.evaluationDate ?? "", "status": cycle.status,
        ]
        for stage in try await CycleStage.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).all() {
            form["stage_\(stage.kind)_start"] = stage.startsOn ?? ""
            form["stage_\(stage.kind)_end"] = stage.endsOn ?? ""
        }
        let saved = (try? req.query.get(String.self, at: "saved")) == "updated" ? req.t["setup_saved_updated"] : nil
        return try await render(req, form: form, saved: saved, editing: cycle)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        let (region, cycle) = try await find(req)
        let form = try Setup.fields(req)
        let compiled = try req.application.instruments.compiled(cycle.instrumentVersion)
        let (settings, errors) = settings(form, scale: compiled.instrument.scale, t: req.t)
        guard errors.isEmpty else {
            return try await render(req, form: form, errors: errors, editing: cycle)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let cycleID = try cycle.requireID()
        let catalogID = req.application.catalog.strings(.id)
        let changes: [AuditLog.Change] = [
            .init(field: "target_index", before: AuditLog.text(cycle.targetIndex), after: AuditLog.text(settings.target)),
            .init(field: "evaluation_date", before: cycle.evaluationDate, after: settings.evaluationDate),
            .init(field: "status", before: cycle.status, after: settings.status.rawValue),
        ]
        cycle.targetIndex = settings.target
        cycle.evaluationDate = settings.evaluationDate
        cycle.status = settings.status.rawValue
        try await req.db.writeTransaction { tx in
            var changes = changes
            try await cycle.save(on: tx)
            let stored = try await CycleStage.query(on: tx).filter(\.$cycle.$id == cycleID).all()
            for (i, kind) in stageKinds.enumerated() {
                let dates = settings.stages[kind] ?? (nil, nil)
                let stage = stored.first { $0.kind == kind }
                    ?? CycleStage(cycleID: cycleID, position: i, kind: kind, name: catalogID["stage_kind_\(kind)"],
                                  startsOn: nil, endsOn: nil)
                changes.append(.init(field: "stage_\(kind)", before: stage.id == nil ? nil : "\(stage.startsOn ?? "–") … \(stage.endsOn ?? "–")",
                                     after: "\(dates.0 ?? "–") … \(dates.1 ?? "–")"))
                stage.startsOn = dates.0
                stage.endsOn = dates.1
                try await stage.save(on: tx)
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycleID, entity: "cycle",
                                      key: String(cycle.year), action: "update", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.adminCycle(year: cycle.year).path + "?saved=updated")
    }
}
