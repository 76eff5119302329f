import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/recommendations`: what the ministry's result letter of a cycle recommended
/// (with strengths and weaknesses), who follows each up and how far; the page of a cycle also
/// shows the previous cycle's recommendations and their follow-up, which Baseline and Stage I ask about.
enum RecommendationController {
    struct Row: Encodable {
        var id: String
        var text: String
        var agency: String?
        var status: String
        var statusKey: String
        var note: String?
        var canFollowUp: Bool
        var action: String
        var statuses: [Setup.Option]
        var actionItems: [ActionRow]
        var errors: [String: String]
        var actionFormAction: String
        var canMakeAction: Bool
        var evidence: ProgrammeController.EvidenceRef?
        var documents: [Setup.Option]
    }

    struct Section: Encodable {
        var year: Int
        var recommendations: [Row]
        var strengths: [String]
        var weaknesses: [String]
    }

    struct Page: Encodable {
        var page: PageChrome
        var year: Int
        var current: Section
        var previous: Section?
        var canManage: Bool
        var form: [String: String]
        var errors: [String: String]
        var kinds: [Setup.Option]
        var agencies: [Setup.Option]
        var action: String
        var saved: Bool
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
        return try await render(req, region, cycle, saved: (try? req.query.get(String.self, at: "saved")) == "1")
    }

    static func section(_ req: Request, region: Region, cycle: Cycle, editing: UUID? = nil, errors: [String: String] = [:])
        async throws -> Section
    {
        let t = req.t
        let actor = try req.actor()
        let all = try await Recommendation.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$position).all()
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let ids = all.compactMap(\.id)
        let items = ids.isEmpty || !AccessPolicy.allows(actor, .readActions) ? []
            : try await ActionList.ordered(ActionList.query(req, region: region).filter(\.$recommendation.$id ~~ ids)).all()
        var rows: [Row] = []
        let usedIDs = all.compactMap(\.evidenceID)
        let used = usedIDs.isEmpty ? [] : try await Evidence.query(on: req.db).filter(\.$id ~~ usedIDs).all()
        for r in all where r.kind == Recommendation.Kind.recommendation.rawValue {
            let resource = AccessPolicy.Resource(regionID: region.id?.uuidString ?? "", agencyIDs: Set([r.$agency.id?.uuidString].compactMap { $0 }))
            let canFollowUp = AccessPolicy.allows(actor, .followUpRecommendation, on: resource)
            let library = canFollowUp ? try await ProgrammeController.library(req, region: region, agency: r.$agency.id) : []
            rows.append(Row(
                id: r.id?.uuidString ?? "", text: r.text, agency: r.$agency.id.flatMap { code[$0] },
                status: t["follow_up_\(r.followUpStatus)"], statusKey: r.followUpStatus, note: r.followUpNote,
                canFollowUp: canFollowUp,
                action: SiteURL.recommendation(year: cycle.year, id: r.id ?? UUID()).path,
                statuses: Recommendation.FollowUp.allCases.map {
                    Setup.Option(value: $0.rawValue, label: t["follow_up_\($0.rawValue)"], selected: $0.rawValue == r.followUpStatus)
                },
                actionItems: try await ActionList.rows(req, region: region, items: items.filter { $0.$recommendation.id == r.id }),
                errors: editing == r.id ? errors : [:],
                actionFormAction: SiteURL.recommendationAction(year: cycle.year, id: r.id ?? UUID()).path,
                canMakeAction: AccessPolicy.allows(actor, .manageActions) && r.$agency.id != nil,
                evidence: r.evidenceID.flatMap { id in used.first { $0.id == id } }.map(ProgrammeController.reference),
                documents: [Setup.Option(value: "", label: t["kpi_no_document"], selected: r.evidenceID == nil)]
                    + library.map { Setup.Option(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id == r.evidenceID) }))
        }
        return Section(year: cycle.year, recommendations: rows,
                       strengths: all.filter { $0.kind == Recommendation.Kind.strength.rawValue }.map(\.text),
                       weaknesses: all.filter { $0.kind == Recommendation.Kind.weakness.rawValue }.map(\.text))
    }

    static func render(_ req: Request, _ region: Region, _ cycle: Cycle, form: [String: String] = [:], errors: [String: String] = [:],
                       editing: UUID? = nil, saved: Bool = false) async throws -> View {
        let t = req.t
        let previousCycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .filter(\.$year < cycle.year).sort(\.$year, .descending).first()
        let agencies = try await Setup.agencies(req, region: region)
        let page = Page(
            page: PageChrome(request: req, title: "\(t["recommendations_title"]) \(cycle.year)"), year: cycle.year,
            current: try await section(req, region: region, cycle: cycle, editing: editing, errors: errors),
            previous: try await previousCycle.asyncMap { try await section(req, region: region, cycle: $0, editing: editing, errors: errors) },
            canManage: AccessPolicy.allows(try req.actor(), .manageRecommendations), form: form, errors: editing == nil ? errors : [:],
            kinds: Recommendation.Kind.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["recommendation_kind_\($0.rawValue)"], selected: $0.rawValue == (form["kind"] ?? "recommendation"))
            },
            agencies: Setup.agencyOptions(agencies, selected: form["agency"], empty: t["setup_no_agency"]),
            action: SiteURL.recommendations(year: cycle.year).path, saved: saved)
        return try await req.view.render("recommendations", page)
    }

    /// `POST /cycles/{year}/recommendations`: one entry from the result letter (coordinator).
    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageRecommendations)
        let t = req.t
        let (region, cycle) = try await cycle(req, year: req.parameters.get("year", as: Int.self))
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let kind = Recommendation.Kind(rawValue: form["kind"] ?? "")
        if kind == nil { errors["kind"] = t["setup_status_unknown"] }
        let text = form["text"] ?? ""
        if text.isEmpty { errors["text"] = t["setup_required"] }
        if text.count > 5000 { errors["text"] = t["setup_too_long"] }
        var agency: Agency?
        if let raw = form["agency"], !raw.isEmpty {
            agency = try await UUID(uuidString: raw).asyncMap { try await Agency.find($0, on: req.db) } ?? nil
            if agency == nil || agency?.$region.id != region.id { errors["agency"] = t["setup_agency_unknown"] }
        }
        guard errors.isEmpty, let kind else {
            return try await render(req, region, cycle, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let cycleID = try cycle.requireID()
        let count = try await Recommendation.query(on: req.db).filter(\.$cycle.$id == cycleID).count()
        let rec = Recommendation(cycleID: cycleID, kind: kind, position: count, text: text, agencyID: agency?.id)
        let user = try req.requireUser()
        let agencyCode = agency?.code
        try await req.db.writeTransaction { tx in
            try await rec.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycleID, entity: "recommendation",
                                      key: String(text.prefix(60)), action: "create",
                                      changes: [.init(field: "agency", before: nil, after: agencyCode)], actor: user)
        }
        return req.redirect(to: SiteURL.recommendations(year: cycle.year).path + "?saved=1")
    }

    /// `POST /cycles/{year}/recommendations/{id}/action`: an action item for the recommendation's agency (coordinator).
    @Sendable static func toAction(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let (region, cycle) = try await cycle(req, year: req.parameters.get("year", as: Int.self))
        guard let id = req.parameters.get("id", as: UUID.self), let rec = try await Recommendation.find(id, on: req.db),
              rec.$cycle.id == cycle.id, let agencyID = rec.$agency.id, let agency = try await Agency.find(agencyID, on: req.db)
        else { throw Abort(.notFound) }
        let form = try Setup.fields(req)
        var fields = form
        fields["assignee"] = agencyID.uuidString
        fields["title"] = (form["title"] ?? "").isEmpty ? String(rec.text.prefix(200)) : form["title"]
        fields["priority"] = form["priority"] ?? "normal"
        let (_, priority, errors) = try await ActionController.validate(fields, req: req, region: region)
        guard errors.isEmpty, let priority else {
            return try await render(req, region, cycle, errors: errors, editing: id).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let cycleID = try cycle.requireID()
        _ = try await ActionController.create(req, region: region, title: fields["title"] ?? "", description: rec.text, agency: agency,
                                              dueOn: form["due_on"], priority: priority) { item in
            item.$recommendation.id = id
            item.$cycle.id = cycleID
        }
        let back = LocalPath.safe(form["back"].flatMap { $0.isEmpty ? nil : $0 } ?? SiteURL.recommendations(year: cycle.year).path)
        return req.redirect(to: back)
    }

    /// `POST /cycles/{year}/recommendations/{id}`: the follow-up (status and note) by its agency or the coordinator.
    @Sendable static func followUp(_ req: Request) async throws -> Response {
        let t = req.t
        let (region, cycle) = try await cycle(req, year: req.parameters.get("year", as: Int.self))
        guard let id = req.parameters.get("id", as: UUID.self), let rec = try await Recommendation.find(id, on: req.db),
              rec.$cycle.id == cycle.id else { throw Abort(.notFound) }
        let resource = AccessPolicy.Resource(regionID: region.id?.uuidString ?? "", agencyIDs: Set([rec.$agency.id?.uuidString].compactMap { $0 }))
        try req.authorize(.followUpRecommendation, on: resource)
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let status = Recommendation.FollowUp(rawValue: form["status"] ?? "")
        if status == nil { errors["status"] = t["setup_status_unknown"] }
        let note = form["note"] ?? ""
        if note.count > 5000 { errors["note"] = t["setup_too_long"] }
        var evidenceID: UUID?
        if let raw = form["evidence_id"], !raw.isEmpty {
            let library = try await ProgrammeController.library(req, region: region, agency: rec.$agency.id)
            evidenceID = library.first { $0.id?.uuidString == raw }?.id
            if evidenceID == nil { errors["evidence_id"] = t["evidence_attach_unknown"] }
        }
        guard errors.isEmpty, let status else {
            // The page shown is the one the form was on: this cycle's or the next one's.
            return try await render(req, region, cycle, errors: errors, editing: id).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let changes: [AuditLog.Change] = [
            .init(field: "follow_up_status", before: rec.followUpStatus, after: status.rawValue),
            .init(field: "follow_up_note", before: rec.followUpNote, after: note),
        ]
        rec.followUpStatus = status.rawValue
        rec.followUpNote = note.isEmpty ? nil : note
        rec.evidenceID = evidenceID
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await rec.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycle.requireID(), entity: "recommendation",
                                      key: String(rec.text.prefix(60)), action: "update", changes: changes, actor: user)
        }
        let back = LocalPath.safe(form["back"].flatMap { $0.isEmpty ? nil : $0 } ?? SiteURL.recommendations(year: cycle.year).path)
        return req.redirect(to: back)
    }
}
