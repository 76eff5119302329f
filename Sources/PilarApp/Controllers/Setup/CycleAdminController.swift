import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/cycles`: the region's evaluation cycles — start a new one, optionally from last year's.
/// A cycle's own settings are changed in `CycleSettingsController`.
enum CycleAdminController {
    /// The new-cycle form; a cycle's settings page sends its target, evaluation date, status and stages.
    struct Form: Content {
        var year: String?
        var instrument: String?
        var copyFrom: String?
        var copyAssignments: String?
        var copyTargets: String?
        var copyEvidence: String?
        var targetIndex: String?
        var evaluationDate: String?
        var status: String?
        /// Stage kind → its `stage_{kind}_start` and `stage_{kind}_end` fields.
        var stages: [String: StageDates] = [:]

        struct StageDates: Equatable {
            var start: String?
            var end: String?
        }
    }

    struct SavedQuery: Content {
        var saved: String?
        var assignments: Int?
        var targets: Int?
        var evidence: Int?
        var skipped: Int?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        let saved = try? req.query.decode(SavedQuery.self)
        return try await req.view.render("setup_cycles", try await CyclesSetupPage.build(req, saved: saved))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        let t = req.t
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        let form = try req.content.decode(Form.self)
        var checks = FieldErrors()
        let year = checks.year("year", form.year)
        var errors = checks.messages(t)
        if let year, try await Cycle.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$year == year).first() != nil {
            errors["year"] = t.format("setup_cycle_exists", ["year": String(year)])
        }
        var version: InstrumentVersion?
        if let id = UUID(uuidString: form.instrument ?? "") { version = try await InstrumentVersion.find(id, on: req.db) }
        let compiled = try version.map { try req.application.instruments.compiled($0) }
        if version == nil { errors["instrument"] = t["setup_instrument_unknown"] }
        let (settings, settingErrors) = CycleSettings.check(form, scale: compiled?.instrument.scale, t: t)
        errors.merge(settingErrors) { a, _ in a }
        var source: Cycle?
        if let raw = form.copyFrom, !raw.isEmpty {
            if let y = Int(raw) {
                source = try await Cycle.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$year == y).first()
            }
            if source == nil { errors["copy_from"] = t["setup_copy_unknown"] }
        }
        guard errors.isEmpty, let year, let version, let compiled else {
            let page = try await CyclesSetupPage.build(req, form: form, errors: errors)
            return try await req.view.render("setup_cycles", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let catalogID = req.application.catalog.strings(.id)
        let options = CycleCopy.Options(assignments: form.copyAssignments == "1", targets: form.copyTargets == "1",
                                        evidence: form.copyEvidence == "1")
        // Evidence must still be valid on the evaluation date (or, without one, on 1 January of the year).
        let validOn = settings.evaluationDate ?? String(format: "%04d-01-01", year)
        let copySource = source
        let outcome = try await req.writeTransaction { tx -> CycleCopy.Outcome? in
            let cycle = Cycle(regionID: regionID, year: year, instrumentVersionID: try version.requireID(),
                              targetIndex: settings.target, status: settings.status, evaluationDate: settings.evaluationDate)
            try await cycle.create(on: tx)
            let cycleID = try cycle.requireID()
            for (i, kind) in CycleSettings.stageKinds.enumerated() {
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
        return req.redirect(to: SiteURL.adminCycles.path(query: [
            "saved": "created", "assignments": outcome.map { String($0.assignments) }, "targets": outcome.map { String($0.targets) },
            "evidence": outcome.map { String($0.evidence) }, "skipped": outcome.map { String($0.skipped.count) },
        ]))
    }
}

extension CycleAdminController.Form {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { return nil }
    }

    private static var textKeys: [(WritableKeyPath<Self, String?>, String)] { [
        (\.year, "year"), (\.instrument, "instrument"), (\.copyFrom, "copy_from"), (\.copyAssignments, "copy_assignments"),
        (\.copyTargets, "copy_targets"), (\.copyEvidence, "copy_evidence"), (\.targetIndex, "target_index"),
        (\.evaluationDate, "evaluation_date"), (\.status, "status"),
    ] }

    /// Reads the fields trimmed, the stages' dates from `stage_{kind}_start` and `stage_{kind}_end`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func text(_ name: String) throws -> String? {
            try container.decodeIfPresent(String.self, forKey: Key(name))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.init()
        for (path, name) in Self.textKeys { self[keyPath: path] = try text(name) }
        for kind in CycleSettings.stageKinds {
            stages[kind] = StageDates(start: try text("stage_\(kind)_start"), end: try text("stage_\(kind)_end"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (path, name) in Self.textKeys { try container.encodeIfPresent(self[keyPath: path], forKey: Key(name)) }
        for (kind, dates) in stages {
            try container.encodeIfPresent(dates.start, forKey: Key("stage_\(kind)_start"))
            try container.encodeIfPresent(dates.end, forKey: Key("stage_\(kind)_end"))
        }
    }
}
