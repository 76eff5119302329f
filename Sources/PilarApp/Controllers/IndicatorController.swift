import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `GET/POST /cycles/{year}/indicators/{code}`: read an indicator, answer it, verify or return it.
///
/// A save carries the revision the form was built from; it is written only if the stored answer
/// is still at that revision (an atomic compare-and-set), so a second editor is never silently
/// overwritten: they see what changed and keep what they typed.
enum IndicatorController {
    struct Form: Content {
        var action: String?
        var level: String?
        var justification: String?
        var verifiedLevel: String?
        var note: String?
        var revision: String?
        var confirmNoEvidence: String?

        enum CodingKeys: String, CodingKey {
            case action, level, justification, verifiedLevel = "verified_level", note, revision,
                confirmNoEvidence = "confirm_no_evidence"
        }
    }

    struct SavedQuery: Content {
        var saved: String?
    }

    static func params(_ req: Request) throws -> (Int, String) {
        guard let year = req.parameters.get("year", as: Int.self), let code = req.parameters.get("code") else {
            throw Abort(.notFound)
        }
        return (year, code)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (year, code) = try params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        let saved = try? req.query.decode(SavedQuery.self).saved
        let known = AssessmentWorkflow.Action.allCases.map(\.rawValue) + ["evidence"]
        let page = try await IndicatorPage.build(req, record: record,
                                                 saved: saved.flatMap { known.contains($0) ? req.t["saved_\($0)"] : nil })
        return page.response(req)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let (year, code) = try params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        let form = try req.content.decode(Form.self)
        guard let action = form.action.flatMap(AssessmentWorkflow.Action.init(rawValue:)) else {
            throw Abort(.badRequest, reason: "error_action")
        }
        let reviewing = action == .verify || action == .giveBack
        try req.authorize(reviewing ? .verify : .editSelfAssessment, on: record.resource)
        let user = try req.requireUser()
        let t = req.t
        let typed = IndicatorPage.FormValues(
            level: form.level ?? "", justification: form.justification ?? "",
            verifiedLevel: form.verifiedLevel ?? "", note: form.note ?? "")
        func refuse(_ errors: [String: String], conflict: Bool = false, status: HTTPStatus) async throws -> Response {
            // Read the region's count again: after a conflict the page must show the other write.
            req.storage[Generation.RequestGeneration.self] = nil
            let fresh = try await IndicatorRecord.load(req, year: year, code: code)
            let page = try await IndicatorPage.build(req, record: fresh, form: typed, errors: errors, conflict: conflict)
            return page.response(req, status: status)
        }
        // The level field: empty, NA, or a number on the scale.
        let rawLevel = (reviewing ? form.verifiedLevel : form.level)?.trimmingCharacters(in: .whitespaces) ?? ""
        var level: Double?
        let notApplicable = rawLevel.uppercased() == "NA"
        if !rawLevel.isEmpty && !notApplicable {
            guard let value = Double(rawLevel.replacingOccurrences(of: ",", with: ".")), value.isFinite else {
                return try await refuse([reviewing ? "verified_level" : "level": t["workflow_level_not_number"]],
                                        status: .unprocessableEntity)
            }
            level = value
        }
        let text = (reviewing ? form.note : form.justification) ?? ""
        let scale = record.compiled.instrument.scale
        let outcome = AssessmentWorkflow.apply(
            action, from: record.status, answer: .init(level: level, notApplicable: notApplicable, text: text),
            scale: scale.min...scale.max, naAllowed: record.node.naAllowed, isCoordinator: user.role == .coordinator)
        let newStatus: AssessmentStatus
        switch outcome {
        case let .success(status): newStatus = status
        case let .failure(problems):
            var errors: [String: String] = [:]
            for p in problems.list {
                let field = p.field == "level" ? (reviewing ? "verified_level" : "level") : (p.field == "text" ? (reviewing ? "note" : "justification") : "status")
                errors[field] = t.format(p.key, p.values)
            }
            return try await refuse(errors, status: .unprocessableEntity)
        }
        // Claiming a level with no evidence, or above the level the evidence is said to support:
        // warn and ask to confirm before sending.
        if action == .submit, let level, form.confirmNoEvidence != "1" {
            let items = try await EvidenceList.items(for: record, on: req.db)
            var warning: String?
            if items.isEmpty {
                warning = t["indicator_no_evidence_warning"]
            } else if let supported = EvidenceList.supportedLevel(items), level > supported {
                warning = t.format("indicator_above_evidence_warning", ["level": InstrumentText.level(level),
                                                                         "supported": InstrumentText.level(supported)])
            }
            if let warning {
                let page = try await IndicatorPage.build(req, record: record, form: typed, evidenceWarning: warning)
                return page.response(req, status: .ok)
            }
        }
        let expected = form.revision.flatMap { Int($0) } ?? -1
        let stored = record.assessment
        guard (stored?.revision ?? 0) == expected else {
            return try await refuse([:], conflict: true, status: .conflict)
        }
        let chosen = level
        let ok = try await req.writeTransaction { tx -> Bool in
            try await save(on: tx, record: record, action: action, level: chosen, notApplicable: notApplicable,
                           text: text, status: newStatus, expectedRevision: expected, user: user,
                           notices: req.application.catalog.strings(.id), now: req.now)
        }
        guard ok else { return try await refuse([:], conflict: true, status: .conflict) }
        let target = SiteURL.indicator(year: year, code: code).path(query: ["saved": action.rawValue])
        return req.redirect(to: target)
    }

    /// Writes the change if the stored revision is still `expectedRevision`; false when it is not.
    static func save(
        on db: any Database, record: IndicatorRecord, action: AssessmentWorkflow.Action, level: Double?,
        notApplicable: Bool, text: String, status: AssessmentStatus, expectedRevision: Int, user: User,
        notices: Catalog.Strings, now: Date
    ) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let cycleID = try record.cycle.requireID()
        let reviewing = action == .verify || action == .giveBack
        // The first answer to an indicator starts from an empty row at revision 0, like any other.
        let stored = record.assessment
        let before = if let stored { stored } else { try await Assessment.ensure(cycleID: cycleID, code: record.node.code, at: now, on: db).answer }
        var changes: [AuditLog.Change] = []
        var update = sql.update(Assessment.schema)
        switch action {
        case .saveDraft, .submit:
            update = update.set("self_level", to: SQLBind(level)).set("justification", to: SQLBind(text))
                .set("not_applicable", to: SQLBind(notApplicable))
            changes += [
                .init(field: "self_level", before: AuditLog.text(before.selfLevel), after: AuditLog.text(level)),
                .init(field: "justification", before: before.justification, after: text),
            ]
        case .verify:
            update = update.set("verified_level", to: SQLBind(level)).set("verified_note", to: SQLBind(text))
                .set("not_applicable", to: SQLBind(notApplicable))
            changes += [
                .init(field: "verified_level", before: AuditLog.text(before.verifiedLevel), after: AuditLog.text(level)),
                .init(field: "verified_note", before: before.verifiedNote, after: text),
            ]
        case .giveBack:
            update = update.set("verified_note", to: SQLBind(text))
            changes.append(.init(field: "verified_note", before: before.verifiedNote, after: text))
        }
        if !reviewing || action == .verify {
            changes.append(.init(field: "not_applicable", before: before.notApplicable ? "N/A" : nil,
                                 after: notApplicable ? "N/A" : nil))
        }
        changes.append(.init(field: "status", before: before.status.rawValue, after: status.rawValue))
        let rows = try await update
            .set("status", to: SQLBind(status.rawValue))
            .set("revision", to: SQLBind(expectedRevision + 1))
            .set("updated_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(before.id))
            .where("revision", .equal, SQLBind(expectedRevision))
            .returning("id")
            .all()
        guard !rows.isEmpty else { return false }
        try await AuditLog.record(at: now, on: db, regionID: try record.region.requireID(), cycleID: cycleID,
                                  entity: "assessment", key: record.node.code, action: action.rawValue,
                                  changes: changes, actor: user)
        // A returned answer lands in its agencies' inboxes.
        if action == .giveBack {
            let t = notices
            let agencies = [record.lead].compactMap { $0 } + record.contributors
            for agency in agencies {
                try await Inbox.notify(agency: agency.id, on: db, kind: .returned,
                                       subject: "\(cycleID.uuidString)/\(record.node.code)/\(expectedRevision + 1)",
                                       title: t.format("inbox_returned", ["title": "\(record.node.code) \(record.node.title)"]),
                                       link: SiteURL.indicator(year: record.cycle.year, code: record.node.code).path, at: now)
            }
        }
        return true
    }
}
