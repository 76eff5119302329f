import Fluent
import Foundation
import PilarCore
import Vapor

/// `/meetings/{id}`: a meeting's attendance, agenda, minutes and decisions (each with its action
/// item, or the coordinator's form to make one), and the coordinator's form to change the meeting.
enum MeetingPage {
    struct DecisionRow: Encodable {
        var id: String
        var text: String
        var action: ActionRow?
        /// Whether the signed-in user may open the action item (else only its title and agency show).
        var readable: Bool
        var formAction: String
        var open: Bool
        var form: MeetingDecisionController.Form
        var errors: [String: String]
    }

    typealias Check = Setup.Check

    struct Context: Encodable {
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
        var edit: MeetingController.Form
        var editErrors: [String: String]
        var invitedChecks: [Check]
        var presentChecks: [Check]
        var action: String
        /// The list of meetings, for the crumbs.
        var meetingsHref: String
    }

    /// A refused form to show again: the meeting's own (`edit`) or one decision's action-item form.
    enum Refused {
        case edit(MeetingController.Form)
        case decision(UUID, MeetingDecisionController.Form)
    }

    static func build(_ req: Request, record: MeetingRecord, refused: Refused? = nil, errors: [String: String] = [:])
        async throws -> Context
    {
        let t = req.t
        let meeting = record.meeting, region = record.region
        let id = try meeting.requireID()
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let attendance = try await MeetingAgency.query(on: req.db).filter(\.$meeting.$id == id).all()
        let actor = try req.actor()
        var typedEdit: MeetingController.Form?
        var typedDecision: (id: UUID, form: MeetingDecisionController.Form)?
        switch refused {
        case let .edit(form): typedEdit = form
        case let .decision(did, form): typedDecision = (did, form)
        case nil: break
        }
        let invitedSet = typedEdit.map { Set($0.invited ?? []) } ?? Set(attendance.filter(\.invited).map { $0.$agency.id.uuidString })
        let presentSet = typedEdit.map { Set($0.present ?? []) } ?? Set(attendance.filter(\.present).map { $0.$agency.id.uuidString })
        let stored = MeetingController.Form(
            title: meeting.title, heldOn: meeting.heldOn, startsAt: meeting.startsAt ?? "", place: meeting.place ?? "",
            chair: meeting.chair ?? "", agenda: meeting.agenda ?? "", minutes: meeting.minutes ?? "")
        return Context(
            page: PageChrome(request: req, title: meeting.title), title: meeting.title,
            date: [Format.date(meeting.heldOn, t), meeting.startsAt].compactMap { $0 }.joined(separator: ", "),
            place: meeting.place, chair: meeting.chair, agenda: meeting.agenda, minutes: meeting.minutes,
            invited: attendance.filter(\.invited).compactMap { code[$0.$agency.id] }.sorted(),
            present: attendance.filter(\.present).compactMap { code[$0.$agency.id] }.sorted(),
            absent: attendance.filter { $0.invited && !$0.present }.compactMap { code[$0.$agency.id] }.sorted(),
            decisions: try await decisionRows(req, record: record, code: code, typed: typedDecision, errors: errors),
            canManage: AccessPolicy.allows(actor, .manageActions),
            agencies: Setup.agencyOptions(agencies, selected: typedDecision?.form.assignee, empty: t["actions_choose_agency"]),
            priorities: ActionItem.Priority.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["priority_\($0.rawValue)"],
                             selected: $0.rawValue == (typedDecision?.form.priority ?? "normal"))
            },
            edit: typedEdit ?? stored, editErrors: typedEdit != nil ? errors : [:],
            invitedChecks: MeetingsPage.checks(agencies, checked: invitedSet),
            presentChecks: MeetingsPage.checks(agencies, checked: presentSet),
            action: SiteURL.meeting(id: id).path, meetingsHref: SiteURL.meetings.path)
    }

    /// The decisions in order; agencies see the items of other agencies only as far as they may read them.
    static func decisionRows(_ req: Request, record: MeetingRecord, code: [UUID: String],
                             typed: (id: UUID, form: MeetingDecisionController.Form)?, errors: [String: String])
        async throws -> [DecisionRow]
    {
        let region = record.region
        let id = try record.meeting.requireID()
        let decisions = try await MeetingDecision.query(on: req.db).filter(\.$meeting.$id == id).sort(\.$position).all()
        let dids = decisions.compactMap(\.id)
        let items = dids.isEmpty ? [] : try await ActionItem.query(on: req.db).filter(\.$decision.$id ~~ dids).all()
        let actor = try req.actor()
        var rows: [DecisionRow] = []
        for d in decisions {
            guard let did = d.id else { continue }
            let item = items.first { $0.$decision.id == did }
            var row: ActionRow?
            var readable = false
            if let item {
                let resource = AccessPolicy.Resource(regionID: try region.requireID().uuidString, agencyIDs: [item.$assignee.id.uuidString])
                if AccessPolicy.allows(actor, .readActions, on: resource) {
                    readable = true
                    row = try await ActionList.rows(req, region: region, items: [item.listItem]).first
                } else {
                    row = ActionRow(id: "", link: "", title: item.title, assignee: code[item.$assignee.id] ?? "–", due: nil,
                                    urgency: "", priority: "", priorityKey: "", status: "", statusKey: "", source: nil, closed: nil)
                }
            }
            let isEdited = typed?.id == did
            rows.append(DecisionRow(
                id: did.uuidString, text: d.text, action: row, readable: readable,
                formAction: SiteURL.decisionAction(meeting: id, decision: did).path, open: isEdited,
                form: isEdited ? typed?.form ?? .init() : .init(title: String(d.text.prefix(120)), priority: "normal"),
                errors: isEdited ? errors : [:]))
        }
        return rows
    }
}
