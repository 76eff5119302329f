import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /programmes/{id}/risks` (a new risk) and `POST /programmes/{id}/risks/{risk}` (the owner
/// revises a risk with `action=save` or removes one that no longer applies with `action=remove`;
/// either way the trail keeps what it said).
enum RiskController {
    struct Form: Content {
        var action: String?
        var risk: String?
        var cause: String?
        var mitigation: String?
        var owner: String?
        var likelihood: String?
        var impact: String?

        var typed: [String: String] {
            ["risk": risk.formText, "cause": cause.formText, "mitigation": mitigation.formText, "owner": owner.formText,
             "likelihood": likelihood.formText, "impact": impact.formText]
        }
    }

    /// What a risk says, checked.
    struct Values {
        var risk: String
        var cause: String?
        var likelihood: Int
        var impact: Int
        var mitigation: String?
        var owner: UUID?

        init(risk: String, cause: String?, likelihood: Int, impact: Int, mitigation: String?, owner: UUID?) {
            (self.risk, self.cause, self.likelihood, self.impact, self.mitigation, self.owner) =
                (risk, cause, likelihood, impact, mitigation, owner)
        }

        init(_ r: Risk) {
            self.init(risk: r.risk, cause: r.cause, likelihood: r.likelihood, impact: r.impact, mitigation: r.mitigation,
                      owner: r.$owner.id)
        }

        func apply(to r: Risk) {
            r.risk = risk
            r.cause = cause
            r.likelihood = likelihood
            r.impact = impact
            r.mitigation = mitigation
            r.$owner.id = owner
        }

        /// One line for the audit trail.
        var summary: String {
            [risk, cause.map { "(\($0))" }, "L\(likelihood)×I\(impact)", mitigation.map { "→ \($0)" }]
                .compactMap { $0 }.joined(separator: " ")
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let form = try req.content.decode(Form.self)
        let (values, errors) = try await read(form, req: req, record: record)
        guard errors.isEmpty, let values else {
            return try await ProgrammeController.refuse(req, record, form: form.typed, errors: errors)
        }
        let risk = Risk()
        risk.$programme.id = record.id
        values.apply(to: risk)
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await risk.create(on: tx)
            try await record.audit(req, on: tx, changes: [.init(field: "risk", before: nil, after: values.summary)], user: user)
        }
        return req.redirect(to: SiteURL.programme(id: record.id).path(query: ["saved": "risk"]))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let pid = record.id
        guard let rid = req.parameters.get("risk", as: UUID.self), let risk = try await Risk.find(rid, on: req.db),
              risk.$programme.id == pid else { throw Abort(.notFound) }
        let form = try req.content.decode(Form.self)
        let before = Values(risk).summary
        let user = try req.requireUser()
        @Sendable func audit(_ after: String?, on tx: any Database) async throws {
            try await record.audit(req, on: tx, action: after == nil ? "delete" : "update",
                                   changes: [.init(field: "risk", before: before, after: after)], user: user)
        }
        switch form.action.formText {
        case "remove":
            try await req.writeTransaction { tx in
                try await risk.delete(on: tx)
                try await audit(nil, on: tx)
            }
            return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "risk_removed"]))
        case "save":
            let (values, errors) = try await read(form, req: req, record: record)
            guard errors.isEmpty, let values else {
                return try await ProgrammeController.refuse(req, record, errors: [:],
                                                            riskEdit: .init(id: rid, form: form.typed, errors: errors))
            }
            values.apply(to: risk)
            try await req.writeTransaction { tx in
                try await risk.save(on: tx)
                try await audit(values.summary, on: tx)
            }
            return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "risk"]))
        default:
            throw Abort(.badRequest, reason: "error_action")
        }
    }

    /// The risk as typed, checked; the messages by field when it is refused.
    static func read(_ form: Form, req: Request, record: ProgrammeRecord) async throws -> (Values?, [String: String]) {
        var errors = FieldErrors()
        let text = errors.text("risk", form.risk, max: 500, required: true)
        let cause = errors.text("cause", form.cause, max: 500)
        let mitigation = errors.text("mitigation", form.mitigation, max: 1000)
        let likelihood = Int(form.likelihood.formText), impact = Int(form.impact.formText)
        if likelihood == nil || !RiskRating.levels.contains(likelihood!) { errors.add("likelihood", "risk_level_invalid") }
        if impact == nil || !RiskRating.levels.contains(impact!) { errors.add("impact", "risk_level_invalid") }
        // The risk's owner: any agency of the region, the programme's owner when none is chosen.
        var owner = record.programme.$owner.id
        let raw = form.owner.formText
        if !raw.isEmpty {
            if let id = UUID(uuidString: raw), let agency = try await Agency.find(id, on: req.db), agency.$region.id == record.region.id {
                owner = id
            } else {
                errors.add("owner", "setup_agency_unknown")
            }
        }
        guard errors.isEmpty, let likelihood, let impact else { return (nil, errors.messages(req.t)) }
        return (Values(risk: text, cause: cause.isEmpty ? nil : cause, likelihood: likelihood, impact: impact,
                       mitigation: mitigation.isEmpty ? nil : mitigation, owner: owner), [:])
    }
}
