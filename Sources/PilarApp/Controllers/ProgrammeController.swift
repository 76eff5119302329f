import Fluent
import Foundation
import PilarCore
import Vapor

/// `/programmes` and `/programmes/{id}`: the masterplan's programmes and quick wins. The
/// coordinator creates programmes; the owning agency keeps a programme's status and progress up to
/// date. What else changes on the programme page has its own controller (details, budgets,
/// milestones, KPIs, risks, documents).
enum ProgrammeController {
    struct Filter: Content {
        var pillar: String?
        var horizon: String?
        var saved: String?
        var uploaded: Int?
    }

    /// `POST /programmes`.
    struct CreateForm: Content {
        var title: String?
        var description: String?
        var pillar: String?
        var horizon: String?
        var owner: String?
        var startYear: String?
        var endYear: String?
        var quickWinYear: String?

        enum CodingKeys: String, CodingKey {
            case title, description, pillar, horizon, owner, startYear = "start_year", endYear = "end_year",
                quickWinYear = "quick_win_year"
        }

        /// What was typed, to show again when the form is refused.
        var typed: [String: String] {
            ["title": title.formText, "description": description.formText, "pillar": pillar.formText,
             "horizon": horizon.formText, "owner": owner.formText, "start_year": startYear.formText,
             "end_year": endYear.formText, "quick_win_year": quickWinYear.formText]
        }
    }

    /// `POST /programmes/{id}`: status and progress.
    struct StatusForm: Content {
        var status: String?
        var progress: String?

        var typed: [String: String] { ["status": status.formText, "progress": progress.formText] }
    }

    struct ShowQuery: Content {
        var year: Int?
        var saved: String?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try req.authorize(.readProgrammes)
        let filter = try? req.query.decode(Filter.self)
        let page = try await ProgrammesPage.build(req, filterPillar: filter?.pillar ?? "", filterHorizon: filter?.horizon ?? "",
                                                  form: ["horizon": Programme.Horizon.quickWin.rawValue],
                                                  saved: filter?.saved == "1", uploaded: filter?.uploaded)
        return try await req.view.render("programmes", page)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageProgrammes)
        let region = try await req.currentRegion()
        let form = try req.content.decode(CreateForm.self)
        var errors = FieldErrors()
        let plan = ProgrammePlan.check(title: form.title, horizon: form.horizon, startYear: form.startYear, endYear: form.endYear,
                                       quickWinYear: form.quickWinYear, errors: &errors)
        let pillar = form.pillar.formText
        if SmartCityPillar.named(pillar) == nil { errors.add("pillar", "assign_pillar_unknown") }
        let owner = try await UUID(uuidString: form.owner.formText).asyncMap { try await Agency.find($0, on: req.db) } ?? nil
        if owner == nil || owner?.$region.id != region.id { errors.add("owner", "setup_agency_unknown") }
        guard errors.isEmpty, let plan, let owner else {
            let page = try await ProgrammesPage.build(req, filterPillar: "", filterHorizon: "", form: form.typed,
                                                      errors: errors.messages(req.t))
            return try await req.view.render("programmes", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let programme = Programme(regionID: try region.requireID(), pillarCode: pillar, title: plan.title,
                                  horizon: plan.horizon, ownerID: owner.id, startYear: plan.startYear, endYear: plan.endYear,
                                  status: .planned, progress: 0, quickWinYear: plan.quickWinYear)
        let description = form.description.formText
        programme.description = description.isEmpty ? nil : description
        try await req.writeTransaction { tx in
            try await programme.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "programme", key: programme.title,
                                      action: "create", changes: [.init(field: "agency", before: nil, after: owner.code)], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: try programme.requireID()).path)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let record = try await ProgrammeRecord.load(req)
        let q = try? req.query.decode(ShowQuery.self)
        return try await req.view.render("programme", ProgrammePage.build(req, record, year: q?.year, saved: q?.saved))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let form = try req.content.decode(StatusForm.self)
        var errors = FieldErrors()
        let status = Programme.Status(rawValue: form.status.formText)
        if status == nil { errors.add("status", "setup_status_unknown") }
        let progress = Int(form.progress.formText)
        if progress == nil || !(0...100).contains(progress!) { errors.add("progress", "programme_progress_invalid") }
        guard errors.isEmpty, let status, let progress else {
            return try await refuse(req, record, form: form.typed, errors: errors.messages(req.t))
        }
        let p = record.programme
        let changes: [AuditLog.Change] = [
            .init(field: "status", before: p.status.rawValue, after: status.rawValue),
            .init(field: "progress", before: String(p.progress), after: String(progress)),
        ]
        p.status = status
        p.progress = progress
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await p.save(on: tx)
            try await record.audit(req, on: tx, changes: changes, user: user)
        }
        return req.redirect(to: SiteURL.programme(id: record.id).path(query: ["saved": "status"]))
    }

    /// The programme page again, with what was typed and what is wrong (422).
    static func refuse(_ req: Request, _ record: ProgrammeRecord, year: Int? = nil, form: [String: String] = [:],
                       errors: [String: String], riskEdit: ProgrammePage.RiskEdit? = nil,
                       typedDetails: ProgrammePage.TypedDetails? = nil,
                       status: HTTPStatus = .unprocessableEntity) async throws -> Response {
        let page = try await ProgrammePage.build(req, record, year: year, form: form, errors: errors, riskEdit: riskEdit,
                                                 typedDetails: typedDetails)
        return try await req.view.render("programme", page).encodeResponse(status: status, for: req)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
