import Fluent
import Foundation
import PilarCore
import Vapor

/// `/meetings` and `/meetings/{id}`: coordination meetings (rapat koordinasi) with the agencies
/// invited and present, agenda, minutes and decisions. A decision becomes an action item in
/// `MeetingDecisionController`.
enum MeetingController {
    /// The new-meeting form and the change form (the same fields; also what the pages show again when refused).
    struct Form: Content {
        var title: String?
        var heldOn: String?
        var startsAt: String?
        var place: String?
        var chair: String?
        var agenda: String?
        var minutes: String?
        /// New decisions, one per line.
        var decisions: String?
        /// Agency ids (`invited[]`, `present[]`).
        var invited: [String]?
        var present: [String]?

        enum CodingKeys: String, CodingKey {
            case title, heldOn = "held_on", startsAt = "starts_at", place, chair, agenda, minutes, decisions, invited, present
        }
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try await req.view.render("meetings", MeetingsPage.build(req))
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let record = try await MeetingRecord.load(req)
        return try await req.view.render("meeting", MeetingPage.build(req, record: record))
    }

    /// Checks a meeting's fields (for a new meeting and for a change); problems keyed by field.
    static func validate(_ form: Form, region: Region, on db: any Database) async throws -> FieldErrors {
        var errors = FieldErrors()
        errors.text("title", form.title, max: 300, required: true)
        errors.date("held_on", form.heldOn, required: true)
        let time = form.startsAt ?? ""
        if !time.isEmpty, time.range(of: #"^([01]\d|2[0-3]):[0-5]\d$"#, options: .regularExpression) == nil {
            errors.add("starts_at", "meeting_time_invalid")
        }
        errors.text("place", form.place, max: 300)
        errors.text("chair", form.chair, max: 300)
        errors.text("agenda", form.agenda, max: 20_000)
        errors.text("minutes", form.minutes, max: 20_000)
        errors.text("decisions", form.decisions, max: 20_000)
        let agencies = try await Agency.query(on: db).filter(\.$region.$id == region.requireID()).all()
        let known = Set(agencies.compactMap { $0.id?.uuidString })
        if !Set((form.invited ?? []) + (form.present ?? [])).isSubset(of: known) { errors.add("invited", "setup_agency_unknown") }
        return errors
    }

    /// Writes the fields and the attendance of `meeting` (the caller's transaction).
    static func apply(_ form: Form, to meeting: Meeting, on tx: any Database) async throws {
        func text(_ value: String?) -> String? { (value ?? "").isEmpty ? nil : value }
        meeting.title = form.title ?? meeting.title
        meeting.heldOn = form.heldOn ?? meeting.heldOn
        meeting.startsAt = text(form.startsAt)
        meeting.place = text(form.place)
        meeting.chair = text(form.chair)
        meeting.agenda = text(form.agenda)
        meeting.minutes = text(form.minutes)
        try await meeting.save(on: tx)
        let id = try meeting.requireID()
        try await MeetingAgency.query(on: tx).filter(\.$meeting.$id == id).delete()
        let present = Set(form.present ?? [])
        for agency in present.union(form.invited ?? []).sorted() {
            guard let agencyID = UUID(uuidString: agency) else { continue }
            try await MeetingAgency(meetingID: id, agencyID: agencyID, invited: true, present: present.contains(agency)).create(on: tx)
        }
    }

    /// New decisions, one per line, after the meeting's existing ones.
    static func addDecisions(_ text: String, to meetingID: UUID, on tx: any Database) async throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let start = try await MeetingDecision.query(on: tx).filter(\.$meeting.$id == meetingID).count()
        for (i, d) in lines.enumerated() { try await MeetingDecision(meetingID: meetingID, position: start + i, text: d).create(on: tx) }
    }

    /// `POST /meetings`: a meeting with its decisions (one per line).
    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageMeetings)
        let region = try await req.currentRegion()
        let form = try req.content.decode(Form.self)
        let errors = try await validate(form, region: region, on: req.db)
        guard errors.isEmpty else {
            let page = try await MeetingsPage.build(req, form: form, errors: errors.messages(req.t))
            return try await req.view.render("meetings", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let meeting = Meeting()
        meeting.$region.id = try region.requireID()
        meeting.title = form.title ?? ""
        meeting.heldOn = form.heldOn ?? ""
        meeting.createdAt = req.now
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await meeting.create(on: tx)
            try await apply(form, to: meeting, on: tx)
            try await addDecisions(form.decisions ?? "", to: meeting.requireID(), on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "meeting", key: meeting.title,
                                      action: "create", changes: [.init(field: "held_on", before: nil, after: meeting.heldOn)], actor: user)
        }
        return req.redirect(to: SiteURL.meeting(id: try meeting.requireID()).path)
    }

    /// `POST /meetings/{id}`: the minutes written afterwards, who came, more decisions.
    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageMeetings)
        let record = try await MeetingRecord.load(req)
        let meeting = record.meeting, region = record.region
        let form = try req.content.decode(Form.self)
        let errors = try await validate(form, region: region, on: req.db)
        guard errors.isEmpty else {
            let page = try await MeetingPage.build(req, record: record, refused: .edit(form), errors: errors.messages(req.t))
            return try await req.view.render("meeting", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = (meeting.minutes, meeting.heldOn)
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await apply(form, to: meeting, on: tx)
            try await addDecisions(form.decisions ?? "", to: meeting.requireID(), on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "meeting", key: meeting.title,
                                      action: "update", changes: [
                                          .init(field: "held_on", before: before.1, after: meeting.heldOn),
                                          .init(field: "minutes", before: before.0, after: meeting.minutes),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.meeting(id: try meeting.requireID()).path)
    }
}

extension MeetingController.Form {
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(title: c.formText(.title), heldOn: c.formText(.heldOn), startsAt: c.formText(.startsAt), place: c.formText(.place),
                  chair: c.formText(.chair), agenda: c.formText(.agenda), minutes: c.formText(.minutes),
                  decisions: c.formText(.decisions), invited: c.formList(.invited), present: c.formList(.present))
    }
}
