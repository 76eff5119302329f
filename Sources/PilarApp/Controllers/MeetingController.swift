import Fluent
import Foundation
import PilarCore
import Vapor

/// `/meetings` and `/meetings/{id}`: coordination meetings (rapat koordinasi) with the agencies
/// invited and present, agenda, minutes and decisions; a decision becomes an action item in one step.
enum MeetingController {
    struct ListRow: Encodable {
        var link: String
        var title: String
        var date: String
        var place: String?
        var decisions: Int
    }

    typealias Check = Setup.Check

    struct ListPage: Encodable {
        var page: PageChrome
        var rows: [ListRow]
        var canCreate: Bool
        var form: [String: String]
        var errors: [String: String]
        var invited: [Check]
        var present: [Check]
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try await renderList(req, form: [:])
    }

    static func renderList(_ req: Request, form: [String: String], invited: Set<String> = [], present: Set<String> = [],
                           errors: [String: String] = [:]) async throws -> View {
        try req.authorize(.readMeetings)
        let t = req.t
        let region = try await req.currentRegion()
        let meetings = try await Meeting.query(on: req.db).filter(\.$region.$id == region.requireID())
            .sort(\.$heldOn, .descending).all()
        let ids = meetings.compactMap(\.id)
        let decisions = ids.isEmpty ? [] : try await MeetingDecision.query(on: req.db).filter(\.$meeting.$id ~~ ids).all()
        let agencies = try await Setup.agencies(req, region: region)
        let page = ListPage(
            page: PageChrome(request: req, title: t["meetings_title"]),
            rows: meetings.map { m in
                ListRow(link: SiteURL.meeting(id: m.id ?? UUID()).path, title: m.title,
                        date: [Format.date(m.heldOn, t), m.startsAt].compactMap { $0 }.joined(separator: " "),
                        place: m.place, decisions: decisions.filter { $0.$meeting.id == m.id }.count)
            },
            canCreate: AccessPolicy.allows(try req.actor(), .manageMeetings), form: form, errors: errors,
            invited: agencies.map { Check(value: $0.id?.uuidString ?? "", label: $0.code, checked: invited.contains($0.id?.uuidString ?? "")) },
            present: agencies.map { Check(value: $0.id?.uuidString ?? "", label: $0.code, checked: present.contains($0.id?.uuidString ?? "")) })
        return try await req.view.render("meetings", page)
    }

    /// Checks a meeting's fields (for a new meeting and for a change); problems keyed by field.
    static func validate(_ req: Request, region: Region, form: [String: String], invited: Set<String>, present: Set<String>)
        async throws -> [String: String]
    {
        let t = req.t
        var errors: [String: String] = [:]
        let title = form["title"] ?? ""
        if title.isEmpty { errors["title"] = t["setup_required"] }
        if title.count > 300 { errors["title"] = t["setup_too_long"] }
        let date = form["held_on"] ?? ""
        if !CalendarDate.isValid(date) { errors["held_on"] = t["evidence_date_invalid"] }
        let time = form["starts_at"] ?? ""
        if !time.isEmpty, time.range(of: #"^([01]\d|2[0-3]):[0-5]\d$"#, options: .regularExpression) == nil {
            errors["starts_at"] = t["meeting_time_invalid"]
        }
        for key in ["place", "chair"] where (form[key] ?? "").count > 300 { errors[key] = t["setup_too_long"] }
        for key in ["agenda", "minutes", "decisions"] where (form[key] ?? "").count > 20_000 { errors[key] = t["setup_too_long"] }
        let agencies = try await Setup.agencies(req, region: region)
        let known = Set(agencies.compactMap { $0.id?.uuidString })
        if !invited.union(present).isSubset(of: known) { errors["invited"] = t["setup_agency_unknown"] }
        return errors
    }

    /// Writes the fields and the attendance of `meeting` (the caller's transaction).
    static func apply(_ form: [String: String], invited: Set<String>, present: Set<String>, to meeting: Meeting, on tx: any Database)
        async throws
    {
        func text(_ key: String) -> String? { (form[key] ?? "").isEmpty ? nil : form[key] }
        meeting.title = form["title"] ?? meeting.title
        meeting.heldOn = form["held_on"] ?? meeting.heldOn
        meeting.startsAt = text("starts_at")
        meeting.place = text("place")
        meeting.chair = text("chair")
        meeting.agenda = text("agenda")
        meeting.minutes = text("minutes")
        try await meeting.save(on: tx)
        let id = try meeting.requireID()
        try await MeetingAgency.query(on: tx).filter(\.$meeting.$id == id).delete()
        for agency in invited.union(present).sorted() {
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
        let form = try Setup.fields(req)
        let invited = Set(Setup.list(req, "invited")), present = Set(Setup.list(req, "present"))
        let errors = try await validate(req, region: region, form: form, invited: invited, present: present)
        guard errors.isEmpty else {
            return try await renderList(req, form: form, invited: invited, present: present, errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let meeting = Meeting()
        meeting.$region.id = try region.requireID()
        meeting.title = form["title"] ?? ""
        meeting.heldOn = form["held_on"] ?? ""
        meeting.createdAt = req.now
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await meeting.create(on: tx)
            try await apply(form, invited: invited, present: present, to: meeting, on: tx)
            try await addDecisions(form["decisions"] ?? "", to: meeting.requireID(), on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "meeting", key: meeting.title,
                                      action: "create", changes: [.init(field: "held_on", before: nil, after: meeting.heldOn)], actor: user)
        }
        return req.redirect(to: SiteURL.meeting(id: try meeting.requireID()).path)
    }

    /// `POST /meetings/{id}`: the minutes written afterwards, who came, more decisions.
    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageMeetings)
        let (meeting, region) = try await load(req)
        let form = try Setup.fields(req)
        let invited = Set(Setup.list(req, "invited")), present = Set(Setup.list(req, "present"))
        let errors = try await validate(req, region: region, form: form, invited: invited, present: present)
        guard errors.isEmpty else {
            return try await render(req, meeting, region, form: form, errors: errors, invited: invited, present: present)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = (meeting.minutes, meeting.heldOn)
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await apply(form, invited: invited, present: present, to: meeting, on: tx)
            try await addDecisions(form["decisions"] ?? "", to: meeting.requireID(), on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "meeting", key: meeting.title,
                                      action: "update", changes: [
                                          .init(field: "held_on", before: before.1, after: meeting.heldOn),
                                          .init(field: "minutes", before: before.0, after: meeting.minutes),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.meeting(id: try meeting.requireID()).path)
    }

    struct DecisionRow: Encodable {
        var id: String
        var text: String
        var action: ActionRow?
        /// Whether the signed-in user may open the action item (else only its title and agency show).
        var readable: Bool
        var formAction: String
        var open: Bool
        var form: [String: String]
        var errors: [String: String]
    }

    struct DetailPage: Encodable {
        var page: PageChrome
        var title: String
        var date: String
        var place: String?
        var chair: String?
        var agenda: String?
        var minutes: String?
        var invited: [String]
        var present: [String]
        var absent: [String]
        var decisions: [DecisionRow]
        var canManage: Bool
        var agencies: [Setup.Option]
        var priorities: [Setup.Option]
        /// The coordinator's form for changing the meeting, filled with what is stored (or was typed).
        var edit: [String: String]
        var editErrors: [String: String]
        var invitedChecks: [Check]
        var presentChecks: [Check]
        var action: String
    }

    static func load(_ req: Request) async throws -> (Meeting, Region) {
        try req.authorize(.readMeetings)
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let meeting = try await Meeting.find(id, on: req.db),
              meeting.$region.id == region.id else { throw Abort(.notFound) }
        return (meeting, region)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let (meeting, region) = try await load(req)
        return try await render(req, meeting, region)
    }

    static func render(_ req: Request, _ meeting: Meeting, _ region: Region, editing: UUID? = nil, form: [String: String] = [:],
                       errors: [String: String] = [:], invited typedInvited: Set<String>? = nil,
                       present typedPresent: Set<String>? = nil) async throws -> View {
        let t = req.t
        let id = try meeting.requireID()
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let attendance = try await MeetingAgency.query(on: req.db).filter(\.$meeting.$id == id).all()
        let decisions = try await MeetingDecision.query(on: req.db).filter(\.$meeting.$id == id).sort(\.$position).all()
        let dids = decisions.compactMap(\.id)
        let items = dids.isEmpty ? [] : try await ActionItem.query(on: req.db).filter(\.$decision.$id ~~ dids).all()
        let actor = try req.actor()
        let editingMeeting = typedInvited != nil
        let invitedSet = typedInvited ?? Set(attendance.filter(\.invited).map { $0.$agency.id.uuidString })
        let presentSet = typedPresent ?? Set(attendance.filter(\.present).map { $0.$agency.id.uuidString })
        // Agencies see the items of other agencies only as far as they may read them.
        var rows: [DecisionRow] = []
        for d in decisions {
            let item = items.first { $0.$decision.id == d.id }
            var row: ActionRow?
            var readable = false
            if let item {
                let resource = AccessPolicy.Resource(regionID: region.id?.uuidString ?? "", agencyIDs: [item.$assignee.id.uuidString])
                if AccessPolicy.allows(actor, .readActions, on: resource) {
                    readable = true
                    row = try await ActionList.rows(req, region: region, items: [item]).first
                } else {
                    row = ActionRow(id: "", link: "", title: item.title, assignee: code[item.$assignee.id] ?? "–", due: nil,
                                    urgency: "", priority: "", priorityKey: "", status: "", statusKey: "", source: nil, closed: nil)
                }
            }
            let isEdited = editing == d.id
            rows.append(DecisionRow(id: d.id?.uuidString ?? "", text: d.text, action: row, readable: readable,
                                    formAction: SiteURL.decisionAction(meeting: id, decision: d.id ?? UUID()).path,
                                    open: isEdited, form: isEdited ? form : ["title": String(d.text.prefix(120)), "priority": "normal"],
                                    errors: isEdited ? errors : [:]))
        }
        let page = DetailPage(
            page: PageChrome(request: req, title: meeting.title), title: meeting.title,
            date: [Format.date(meeting.heldOn, t), meeting.startsAt].compactMap { $0 }.joined(separator: ", "),
            place: meeting.place, chair: meeting.chair, agenda: meeting.agenda, minutes: meeting.minutes,
            invited: attendance.filter(\.invited).compactMap { code[$0.$agency.id] }.sorted(),
            present: attendance.filter(\.present).compactMap { code[$0.$agency.id] }.sorted(),
            absent: attendance.filter { $0.invited && !$0.present }.compactMap { code[$0.$agency.id] }.sorted(),
            decisions: rows, canManage: AccessPolicy.allows(actor, .manageActions),
            agencies: Setup.agencyOptions(agencies, selected: form["assignee"], empty: t["actions_choose_agency"]),
            priorities: ActionItem.Priority.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["priority_\($0.rawValue)"], selected: $0.rawValue == (form["priority"] ?? "normal"))
            },
            edit: editingMeeting ? form : [
                "title": meeting.title, "held_on": meeting.heldOn, "starts_at": meeting.startsAt ?? "", "place": meeting.place ?? "",
                "chair": meeting.chair ?? "", "agenda": meeting.agenda ?? "", "minutes": meeting.minutes ?? "",
            ],
            editErrors: editingMeeting ? errors : [:],
            invitedChecks: agencies.map { Check(value: $0.id?.uuidString ?? "", label: $0.code, checked: invitedSet.contains($0.id?.uuidString ?? "")) },
            presentChecks: agencies.map { Check(value: $0.id?.uuidString ?? "", label: $0.code, checked: presentSet.contains($0.id?.uuidString ?? "")) },
            action: SiteURL.meeting(id: id).path)
        return try await req.view.render("meeting", page)
    }

    /// `POST /meetings/{id}/decisions/{decision}/action`: the decision becomes an action item.
    @Sendable static func decisionToAction(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let (meeting, region) = try await load(req)
        let mid = try meeting.requireID()
        guard let did = req.parameters.get("decision", as: UUID.self), let decision = try await MeetingDecision.find(did, on: req.db),
              decision.$meeting.id == mid else { throw Abort(.notFound) }
        if try await ActionItem.query(on: req.db).filter(\.$decision.$id == did).first() != nil {
            throw Abort(.conflict, reason: "meeting_decision_has_action")
        }
        let form = try Setup.fields(req)
        let (agency, priority, errors) = try await ActionController.validate(form, req: req, region: region)
        guard errors.isEmpty, let agency, let priority else {
            return try await render(req, meeting, region, editing: did, form: form, errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        _ = try await ActionController.create(req, region: region, title: form["title"] ?? "", description: decision.text,
                                              agency: agency, dueOn: form["due_on"], priority: priority) { item in
            item.$decision.id = did
        }
        return req.redirect(to: SiteURL.meeting(id: mid).path + "#decision-\(did.uuidString)")
    }
}
