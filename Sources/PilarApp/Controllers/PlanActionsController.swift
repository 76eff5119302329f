import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /cycles/{year}/plan/actions`: the plan's chosen steps become action items for their lead
/// agencies in one step (a step already open is not assigned twice).
enum PlanActionsController {
    struct Form: Content {
        var layer: String?
        var target: String?
        var due: String?
        /// The codes of the chosen steps (`step[]`).
        var step: [String]?

        /// Text as typed, without the spaces around it.
        var trimmed: Form {
            func trim(_ s: String?) -> String? { s?.trimmingCharacters(in: .whitespacesAndNewlines) }
            return Form(layer: trim(layer), target: trim(target), due: trim(due), step: step)
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let form = try req.content.decode(Form.self).trimmed
        let picked = Set(form.step ?? [])
        let due = form.due ?? ""
        let c = try await PlanRecord.load(req, layer: form.layer, target: form.target)
        let t = req.t
        func refuse(_ error: String) async throws -> Response {
            try await req.view.render("plan", try PlanPage.build(req, record: c, error: error, due: due))
                .encodeResponse(status: .badRequest, for: req)
        }
        if !due.isEmpty && !CalendarDate.isValid(due) { return try await refuse(t["plan_due_invalid"]) }
        let chosen = c.plan.steps.filter { picked.contains($0.code) }
        guard !chosen.isEmpty else { return try await refuse(t["plan_none_picked"]) }
        var assignees: [(Planner.Step, Agency)] = []
        for step in chosen {
            guard let agency = c.agencies[step.code] else {
                return try await refuse(t.format("plan_step_no_agency", ["code": step.code]))
            }
            assignees.append((step, agency))
        }
        let region = try await req.currentRegion()
        let user = try req.requireUser()
        let catalog = req.application.catalog.strings(.id)
        let cycleID = try c.data.cycle.requireID()
        let work = assignees
        let created = try await req.writeTransaction { tx in
            var created = 0
            for (step, agency) in work {
                let title = catalog.format("plan_action_title", ["code": step.code, "from": Format.number(step.from, .id),
                                                                 "to": String(step.to)])
                // The same step already open is not assigned twice.
                let open = try await ActionItem.query(on: tx).filter(\.$cycle.$id == cycleID)
                    .filter(\.$indicatorCode == step.code).filter(\.$title == title)
                    .filter(\.$status ~~ ActionItem.Status.stillOpen).count()
                guard open == 0 else { continue }
                let item = ActionItem(
                    regionID: try region.requireID(), title: title,
                    description: catalog.format("plan_action_description", [
                        "title": c.title(step), "gain": String(format: "%.3f", step.gain), "target": Format.number(c.target, .id)]),
                    assigneeID: try agency.requireID(), dueOn: due.isEmpty ? nil : due, priority: .high,
                    createdBy: "\(user.displayName) (\(user.username))", at: req.now)
                item.$cycle.id = cycleID
                item.indicatorCode = step.code
                try await ActionItems.insert(item, agency: agency, region: region, user: user, on: tx, req: req)
                created += 1
            }
            return created
        }
        let target = form.target ?? ""
        return req.redirect(to: SiteURL.plan(year: c.data.cycle.year).path(query: [
            "layer": c.layer.rawValue, "done": String(created), "target": target.isEmpty ? nil : target,
        ]))
    }
}
