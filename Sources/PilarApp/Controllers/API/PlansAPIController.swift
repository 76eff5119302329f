import Fluent
import Foundation
import PilarCore
import Vapor

/// The read API for programmes, action items, meetings, recommendations and the inbox: each
/// answers only what the signed-in user may read, every key present (absent values as `null`).
enum PlansAPIController {
    /// A JSON response from plain values (`nil` written as `null`).
    static func json(_ value: Any) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func null(_ value: Any?) -> Any { value ?? NSNull() }

    /// A moment as ISO 8601 in UTC (`2022-09-29T02:00:00Z`).
    static func time(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        return date.formatted(.iso8601)
    }

    @Sendable static func programmes(_ req: Request) async throws -> Response {
        try req.authorize(.readProgrammes)
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        let programmes = try await Programme.query(on: req.db).filter(\.$region.$id == regionID).sort(\.$title).all()
        let ids = programmes.compactMap(\.id)
        guard !ids.isEmpty else { return try json([]) }
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let supports = try await ProgrammeSupport.query(on: req.db).filter(\.$programme.$id ~~ ids).all()
        let budgets = try await ProgrammeBudget.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$year).all()
        let milestones = try await Milestone.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$position).all()
        let indicators = try await ProgrammeIndicator.query(on: req.db).filter(\.$programme.$id ~~ ids).all()
        let risks = try await Risk.query(on: req.db).filter(\.$programme.$id ~~ ids).all()
        let kpis = try await KPI.query(on: req.db).filter(\.$programme.$id ~~ ids).sort(\.$position).all()
        let kpiIDs = kpis.compactMap(\.id)
        let targets = kpiIDs.isEmpty ? [] : try await KPITarget.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).sort(\.$period).all()
        let actuals = kpiIDs.isEmpty ? [] : try await KPIRealisation.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).sort(\.$period).all()
        let out: [[String: Any]] = programmes.map { p in
            [
                "id": p.id?.uuidString ?? "", "title": p.title, "description": null(p.description), "pillar": p.pillarCode,
                "element": null(p.elementCode), "horizon": p.horizon.rawValue, "owner_agency": null(p.$owner.id.flatMap { code[$0] }),
                "supporting_agencies": supports.filter { $0.$programme.id == p.id }.compactMap { code[$0.$agency.id] }.sorted(),
                "status": p.status.rawValue, "progress": p.progress, "quick_win_year": null(p.quickWinYear),
                "start_year": p.startYear, "end_year": p.endYear, "public": p.isPublic,
                "budgets": budgets.filter { $0.$programme.id == p.id }.map { ["year": $0.year, "apbd": $0.apbd, "other": $0.other] },
                "milestones": milestones.filter { $0.$programme.id == p.id }.map {
                    ["title": $0.title, "due_on": null($0.dueOn), "done": $0.done, "done_on": null($0.doneOn)] as [String: Any]
                },
                "indicators": indicators.filter { $0.$programme.id == p.id }.map(\.indicatorCode).sorted(),
                "risks": risks.filter { $0.$programme.id == p.id }.map {
                    ["risk": $0.risk, "cause": null($0.cause), "likelihood": $0.likelihood, "impact": $0.impact,
                     "mitigation": null($0.mitigation), "owner_agency": null($0.$owner.id.flatMap { code[$0] })] as [String: Any]
                },
                "kpis": kpis.filter { $0.$programme.id == p.id }.map { k in
                    [
                        "id": k.id?.uuidString ?? "", "name": k.name, "unit": k.unit, "higher_is_better": k.higherIsBetter,
                        "baseline": null(k.baseline), "frequency": k.frequency.rawValue,
                        "targets": targets.filter { $0.$kpi.id == k.id }.map { ["period": $0.period, "value": $0.target] as [String: Any] },
                        "realisations": actuals.filter { $0.$kpi.id == k.id }.map {
                            ["period": $0.period, "value": $0.value, "note": null($0.note), "entered_by": $0.enteredBy,
                             "entered_at": time($0.enteredAt)] as [String: Any]
                        },
                    ] as [String: Any]
                },
            ]
        }
        return try json(out)
    }

    @Sendable static func actions(_ req: Request) async throws -> Response {
        try req.authorize(.readActions)
        let region = try await req.currentRegion()
        let items = try await ActionList.query(req, region: region).sort(\.$createdAt).all()
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let cycleIDs = Set(items.compactMap { $0.$cycle.id })
        let cycles = cycleIDs.isEmpty ? [] : try await Cycle.query(on: req.db).filter(\.$id ~~ Array(cycleIDs)).all()
        let today = req.today(in: region.zone)
        let out: [[String: Any]] = items.map { i in
            [
                "id": i.id?.uuidString ?? "", "title": i.title, "description": null(i.description),
                "assignee_agency": code[i.$assignee.id] ?? "", "due_on": null(i.dueOn), "priority": i.priority.rawValue, "status": i.status.rawValue,
                "urgency": null(ActionList.urgency(i.listItem, today: today).nilIfNone?.rawValue),
                "links": [
                    "cycle_year": null(i.$cycle.id.flatMap { id in cycles.first { $0.id == id }?.year }),
                    "indicator": null(i.indicatorCode), "programme_id": null(i.$programme.id?.uuidString),
                    "decision_id": null(i.$decision.id?.uuidString), "recommendation_id": null(i.$recommendation.id?.uuidString),
                ] as [String: Any],
                "created_by": i.createdBy, "created_at": time(i.createdAt), "closed_by": null(i.closedBy), "closed_at": time(i.closedAt),
            ]
        }
        return try json(out)
    }

    @Sendable static func meetings(_ req: Request) async throws -> Response {
        try req.authorize(.readMeetings)
        let region = try await req.currentRegion()
        let meetings = try await Meeting.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$heldOn, .descending).all()
        let ids = meetings.compactMap(\.id)
        guard !ids.isEmpty else { return try json([]) }
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let attendance = try await MeetingAgency.query(on: req.db).filter(\.$meeting.$id ~~ ids).all()
        let decisions = try await MeetingDecision.query(on: req.db).filter(\.$meeting.$id ~~ ids).sort(\.$position).all()
        let dids = decisions.compactMap(\.id)
        let items = dids.isEmpty ? [] : try await ActionItem.query(on: req.db).filter(\.$decision.$id ~~ dids).all()
        let out: [[String: Any]] = meetings.map { m in
            [
                "id": m.id?.uuidString ?? "", "title": m.title, "held_on": m.heldOn, "starts_at": null(m.startsAt),
                "place": null(m.place), "chair": null(m.chair), "agenda": null(m.agenda), "minutes": null(m.minutes),
                "invited": attendance.filter { $0.$meeting.id == m.id && $0.invited }.compactMap { code[$0.$agency.id] }.sorted(),
                "present": attendance.filter { $0.$meeting.id == m.id && $0.present }.compactMap { code[$0.$agency.id] }.sorted(),
                "decisions": decisions.filter { $0.$meeting.id == m.id }.map { d in
                    ["id": d.id?.uuidString ?? "", "text": d.text,
                     "action_item_id": null(items.first { $0.$decision.id == d.id }?.id?.uuidString)] as [String: Any]
                },
            ]
        }
        return try json(out)
    }

    @Sendable static func recommendations(_ req: Request) async throws -> Response {
        let (region, cycle) = try await RecommendationController.cycle(req, year: req.parameters.get("year", as: Int.self))
        let agencies = try await Setup.agencies(req, region: region)
        let code = Setup.codes(agencies)
        let all = try await Recommendation.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$position).all()
        return try json(all.map { r in
            ["id": r.id?.uuidString ?? "", "kind": r.kind.rawValue, "text": r.text, "agency": null(r.$agency.id.flatMap { code[$0] }),
             "follow_up_status": r.followUpStatus.rawValue, "follow_up_note": null(r.followUpNote)] as [String: Any]
        })
    }

    @Sendable static func inbox(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let userID = try user.requireID()
        if let region = try? await req.currentRegion() {
            try await Inbox.remind(user, region: region, on: req.db, catalog: req.application.catalog, now: req.now)
        }
        let items = try await Notification.query(on: req.db).filter(\.$user.$id == userID).sort(\.$createdAt, .descending).limit(200).all()
        return try json([
            "unread": items.filter { $0.readAt == nil }.count,
            "items": items.map {
                ["id": $0.id?.uuidString ?? "", "kind": $0.kind.rawValue, "title": $0.title, "link": $0.link,
                 "created_at": time($0.createdAt), "read_at": time($0.readAt)] as [String: Any]
            },
        ] as [String: Any])
    }
}
