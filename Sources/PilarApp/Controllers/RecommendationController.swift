import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/recommendations` (the page and a new entry from the result letter) and
/// `/cycles/{year}/recommendations/{id}` (its follow-up). An entry becomes an action item in
/// `RecommendationActionController`.
enum RecommendationController {
    /// A new entry (also what the page shows again when it is refused).
    struct Form: Content {
        var kind: String?
        var text: String?
        var agency: String?
    }

    /// `POST /cycles/{year}/recommendations/{id}`.
    struct FollowUpForm: Content {
        var status: String?
        var note: String?
        var evidenceID: String?
        /// The page the form was on (this cycle's or the next one's).
        var back: String?

        enum CodingKeys: String, CodingKey { case status, note, evidenceID = "evidence_id", back }
    }

    struct SavedQuery: Content {
        var saved: String?
    }

    static func cycle(_ req: Request, year: Int?) async throws -> (Region, Cycle) {
        try req.authorize(.readRecommendations)
        let region = try await req.currentRegion()
        guard let year, let cycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .filter(\.$year == year).first() else { throw Abort(.notFound) }
        return (region, cycle)
    }

    /// `/recommendations`: the current cycle's page.
    @Sendable static func current(_ req: Request) async throws -> Response {
        try req.authorize(.readRecommendations)
        let region = try await req.currentRegion()
        guard let cycle = try await CycleData.current(region: region, on: req.db) else { throw Abort(.notFound) }
        return req.redirect(to: SiteURL.recommendations(year: cycle.year).path)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let (region, cycle) = try await cycle(req, year: req.parameters.get("year", as: Int.self))
        let saved = (try? req.query.decode(SavedQuery.self))?.saved == "1"
        return try await req.view.render("recommendations", RecommendationsPage.build(req, region: region, cycle: cycle, saved: saved))
    }

    /// `POST /cycles/{year}/recommendations`: one entry from the result letter (coordinator).
    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageRecommendations)
        let (region, cycle) = try await cycle(req, year: req.parameters.get("year", as: Int.self))
        let form = try req.content.decode(Form.self)
        var errors = FieldErrors()
        let kind = Recommendation.Kind(rawValue: form.kind ?? "")
        if kind == nil { errors.add("kind", "setup_status_unknown") }
        let text = errors.text("text", form.text, max: 5000, required: true)
        var agency: Agency?
        if let raw = form.agency, !raw.isEmpty {
            agency = try await UUID(uuidString: raw).asyncMap { try await Agency.find($0, on: req.db) } ?? nil
            if agency == nil || agency?.$region.id != region.id { errors.add("agency", "setup_agency_unknown") }
        }
        guard errors.isEmpty, let kind else {
            let page = try await RecommendationsPage.build(req, region: region, cycle: cycle, form: form, errors: errors.messages(req.t))
            return try await req.view.render("recommendations", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let cycleID = try cycle.requireID()
        let count = try await Recommendation.query(on: req.db).filter(\.$cycle.$id == cycleID).count()
        let rec = Recommendation(cycleID: cycleID, kind: kind, position: count, text: text, agencyID: agency?.id)
        let user = try req.requireUser()
        let agencyCode = agency?.code
        try await req.writeTransaction { tx in
            try await rec.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycleID, entity: "recommendation",
                                      key: String(text.prefix(60)), action: "create",
                                      changes: [.init(field: "agency", before: nil, after: agencyCode)], actor: user)
        }
        return req.redirect(to: SiteURL.recommendations(year: cycle.year).path(query: ["saved": "1"]))
    }

    /// `POST /cycles/{year}/recommendations/{id}`: the follow-up (status and note) by its agency or the coordinator.
    @Sendable static func followUp(_ req: Request) async throws -> Response {
        let (region, cycle) = try await cycle(req, year: req.parameters.get("year", as: Int.self))
        guard let id = req.parameters.get("id", as: UUID.self), let rec = try await Recommendation.find(id, on: req.db),
              rec.$cycle.id == cycle.id else { throw Abort(.notFound) }
        let resource = AccessPolicy.Resource(regionID: try region.requireID().uuidString,
                                             agencyIDs: Set([rec.$agency.id?.uuidString].compactMap { $0 }))
        try req.authorize(.followUpRecommendation, on: resource)
        let form = try req.content.decode(FollowUpForm.self)
        var errors = FieldErrors()
        let status = Recommendation.FollowUp(rawValue: form.status ?? "")
        if status == nil { errors.add("status", "setup_status_unknown") }
        let note = errors.text("note", form.note, max: 5000)
        var evidenceID: UUID?
        if let raw = form.evidenceID, !raw.isEmpty {
            let library = try await EvidenceLibrary.of(req, region: region, agency: rec.$agency.id)
            evidenceID = library.first { $0.id?.uuidString == raw }?.id
            if evidenceID == nil { errors.add("evidence_id", "evidence_attach_unknown") }
        }
        guard errors.isEmpty, let status else {
            // The page shown is the one the form was on: this cycle's or the next one's.
            let page = try await RecommendationsPage.build(req, region: region, cycle: cycle, errors: errors.messages(req.t), editing: id)
            return try await req.view.render("recommendations", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let changes: [AuditLog.Change] = [
            .init(field: "follow_up_status", before: rec.followUpStatus.rawValue, after: status.rawValue),
            .init(field: "follow_up_note", before: rec.followUpNote, after: note),
        ]
        rec.followUpStatus = status
        rec.followUpNote = note.isEmpty ? nil : note
        rec.evidenceID = evidenceID
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await rec.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycle.requireID(), entity: "recommendation",
                                      key: String(rec.text.prefix(60)), action: "update", changes: changes, actor: user)
        }
        return req.redirect(to: back(form.back, year: cycle.year))
    }

    /// Where a form sent from a recommendations page returns: the page it names (if local), else the cycle's page.
    static func back(_ back: String?, year: Int) -> String {
        LocalPath.safe(back.flatMap { $0.isEmpty ? nil : $0 } ?? SiteURL.recommendations(year: year).path)
    }
}

extension RecommendationController.Form {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: c.formText(.kind), text: c.formText(.text), agency: c.formText(.agency))
    }
}

extension RecommendationController.FollowUpForm {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(status: c.formText(.status), note: c.formText(.note), evidenceID: c.formText(.evidenceID), back: c.formText(.back))
    }
}
