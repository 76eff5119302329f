import Fluent
import Foundation
import PilarCore
import Vapor

/// The gap-to-target planner: `/cycles/{year}/plan` (HTML), `GET /api/v1/cycles/{year}/plan`
/// (JSON), the plan's steps as action items in one step, and the effort per level step.
enum PlanController {
    /// The most a level step may cost (months, say); keeps the planner's table small.
    static let maxEffort = 120

    struct Query: Content {
        var layer: String?
        var target: String?
    }

    /// A computed plan with what the pages need around it.
    struct Computed {
        var data: CycleData
        var layer: ScoreLayer
        var target: Double
        var plan: Planner.Plan
        var efforts: [Int]
        /// Lead agency code per indicator code.
        var agencies: [String: Agency]
    }

    /// Reads `layer` (verified by default) and `target` (the cycle's by default; `3,4` or `3.4`) and plans.
    static func compute(_ req: Request, layer raw: String?, target rawTarget: String?) async throws -> Computed {
        try req.authorize(.readDashboard)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else {
            throw Abort(.notFound)
        }
        guard let layer = ScoreLayer(rawValue: (raw ?? "").isEmpty ? ScoreLayer.verified.rawValue : raw!) else {
            throw Abort(.badRequest, reason: "error_layer")
        }
        let scale = data.compiled.instrument.scale
        var target = data.cycle.targetIndex
        if let text = rawTarget?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let value = Double(text.replacingOccurrences(of: ",", with: ".")), value.isFinite,
                  value >= scale.min, value <= scale.max
            else { throw Abort(.badRequest, reason: "plan_target_invalid") }
            target = value
        }
        guard let target else { throw Abort(.badRequest, reason: "plan_target_missing") }
        let efforts = data.compiled.indicatorCodes.map { data.assessments[$0]?.planEffort ?? 1 }
        let plan = Planner.plan(data.compiled, values: data.values(layer), target: target, stepEffort: efforts,
                                maxLevel: Int(scale.max.rounded(.down)))
        let leads = Set(data.assessments.values.compactMap { $0.$leadAgency.id })
        let agencies = leads.isEmpty ? [] : try await Agency.query(on: req.db).filter(\.$id ~~ leads).all()
        var byCode: [String: Agency] = [:]
        for (code, a) in data.assessments {
            if let lead = a.$leadAgency.id, let agency = agencies.first(where: { $0.id == lead }) { byCode[code] = agency }
        }
        return Computed(data: data, layer: layer, target: target, plan: plan, efforts: efforts, agencies: byCode)
    }

    // MARK: JSON

    @Sendable static func api(_ req: Request) async throws -> Response {
        let q = try? req.query.decode(Query.self)
        let c = try await compute(req, layer: q?.layer, target: q?.target)
        let steps: [[String: Any]] = c.plan.steps.map { s in
            ["code": s.code, "title": c.data.compiled.titles[c.data.compiled.indicatorNodes[s.slot]], "from": s.from,
             "to": s.to, "gain": s.gain, "effort": s.effort, "agency": PlansAPIController.null(c.agencies[s.code]?.code)]
        }
        return try PlansAPIController.json([
            "year": c.data.cycle.year, "layer": c.layer.rawValue, "target": c.target,
            "index_before": PlansAPIController.null(c.plan.indexBefore), "index_after": PlansAPIController.null(c.plan.indexAfter),
            "effort": c.plan.effort, "reaches_target": c.plan.reachesTarget, "exact": c.plan.exact, "steps": steps, "unscored": c.plan.unscored,
            "agencies": Array(Set(c.plan.steps.compactMap { c.agencies[$0.code]?.code })).sorted(),
        ])
    }

    // MARK: Page

    struct StepRow: Encodable {
        var code: String
        var title: String
        var href: String
        var from: String
        var to: Int
        var gain: String
        var effort: Int
        var agency: String?
    }

    struct AgencyRow: Encodable {
        var code: String
        var name: String
        var steps: Int
        var effort: Int
    }

    struct EffortRow: Encodable {
        var code: String
        var title: String
        var effort: Int
    }

    struct PlanPage: Encodable {
        var page: PageChrome
        var year: Int
        var layers: [Setup.Option]
        var layer: String
        var target: String
        var before: String
        var after: String
        var effort: Int
        var reaches: Bool
        var alreadyThere: Bool
        var steps: [StepRow]
        var agencies: [AgencyRow]
        var unscored: Int
        var canCreate: Bool
        var canSetEffort: Bool
        var efforts: [EffortRow]
        var message: String?
        var error: String?
        var due: String
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let q = try? req.query.decode(Query.self)
        let message = (try? req.query.get(String.self, at: "done")).map { req.t.format("plan_actions_done", ["n": $0]) }
            ?? ((try? req.query.get(String.self, at: "efforts")) != nil ? req.t["plan_efforts_saved"] : nil)
        return try await render(req, layer: q?.layer, target: q?.target, message: message)
    }

    static func render(_ req: Request, layer: String?, target: String?, message: String? = nil, error: String? = nil,
                       due: String = "") async throws -> View {
        let t = req.t, lang = req.language
        let c = try await compute(req, layer: layer, target: target)
        let rule = c.data.compiled.instrument.rounding
        let actor = try req.actor()
        func fmt(_ v: Double?) -> String { Format.decimal(v.map { rule.display($0) }, lang) }
        let steps = c.plan.steps.map { s in
            StepRow(code: s.code, title: c.data.compiled.titles[c.data.compiled.indicatorNodes[s.slot]],
                    href: SiteURL.indicator(year: c.data.cycle.year, code: s.code).path, from: Format.number(s.from, lang),
                    to: s.to, gain: Format.decimal(String(format: "%.3f", s.gain), lang), effort: s.effort,
                    agency: c.agencies[s.code]?.code)
        }
        var byAgency: [String: AgencyRow] = [:]
        for s in c.plan.steps {
            let a = c.agencies[s.code]
            let key = a?.code ?? "–"
            var row = byAgency[key] ?? AgencyRow(code: key, name: a?.name ?? t["plan_no_agency"], steps: 0, effort: 0)
            row.steps += 1
            row.effort += s.effort
            byAgency[key] = row
        }
        let efforts = c.data.compiled.indicatorCodes.enumerated().map { i, code in
            EffortRow(code: code, title: c.data.compiled.titles[c.data.compiled.indicatorNodes[i]], effort: c.efforts[i])
        }
        let page = PlanPage(
            page: PageChrome(request: req, title: t["plan_title"]), year: c.data.cycle.year,
            layers: ScoreLayer.allCases.filter { $0 != .target }.map {
                Setup.Option(value: $0.rawValue, label: t["layer_\($0.rawValue)"], selected: $0 == c.layer)
            },
            layer: c.layer.rawValue, target: Format.number(c.target, lang), before: fmt(c.plan.indexBefore),
            after: fmt(c.plan.indexAfter), effort: c.plan.effort, reaches: c.plan.reachesTarget,
            alreadyThere: c.plan.reachesTarget && c.plan.steps.isEmpty, steps: steps,
            agencies: byAgency.values.sorted { ($1.effort, $0.code) < ($0.effort, $1.code) },
            unscored: c.plan.unscored.count, canCreate: AccessPolicy.allows(actor, .manageActions),
            canSetEffort: AccessPolicy.allows(actor, .manageCycles), efforts: efforts, message: message, error: error,
            due: due)
        return try await req.view.render("plan", page)
    }

    // MARK: Steps → action items

    @Sendable static func toActions(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let fields = try Setup.fields(req)
        let picked = Set(Setup.list(req, "step"))
        let due = fields["due"] ?? ""
        let c = try await compute(req, layer: fields["layer"], target: fields["target"])
        let t = req.t
        if !due.isEmpty && !CalendarDate.isValid(due) {
            return try await render(req, layer: fields["layer"], target: fields["target"], error: t["plan_due_invalid"], due: due)
                .encodeResponse(status: .badRequest, for: req)
        }
        let chosen = c.plan.steps.filter { picked.contains($0.code) }
        guard !chosen.isEmpty else {
            return try await render(req, layer: fields["layer"], target: fields["target"], error: t["plan_none_picked"], due: due)
                .encodeResponse(status: .badRequest, for: req)
        }
        if let missing = chosen.first(where: { c.agencies[$0.code] == nil }) {
            return try await render(req, layer: fields["layer"], target: fields["target"],
                                    error: t.format("plan_step_no_agency", ["code": missing.code]), due: due)
                .encodeResponse(status: .badRequest, for: req)
        }
        let region = try await req.currentRegion()
        let user = try req.requireUser()
        let catalog = req.application.catalog.strings(.id)
        let cycleID = try c.data.cycle.requireID()
        let created = try await req.db.writeTransaction { tx in
            var created = 0
            for step in chosen {
                let agency = c.agencies[step.code]!
                let title = catalog.format("plan_action_title", ["code": step.code, "from": Format.number(step.from, .id),
                                                                 "to": String(step.to)])
                // The same step already open is not assigned twice.
                let open = try await ActionItem.query(on: tx).filter(\.$cycle.$id == cycleID)
                    .filter(\.$indicatorCode == step.code).filter(\.$title == title)
                    .filter(\.$status ~~ [ActionItem.Status.open.rawValue, ActionItem.Status.inProgress.rawValue]).count()
                guard open == 0 else { continue }
                let item = ActionItem(
                    regionID: try region.requireID(), title: title,
                    description: catalog.format("plan_action_description", [
                        "title": c.data.compiled.titles[c.data.compiled.indicatorNodes[step.slot]],
                        "gain": String(format: "%.3f", step.gain), "target": Format.number(c.target, .id)]),
                    assigneeID: try agency.requireID(), dueOn: due.isEmpty ? nil : due, priority: .high,
                    createdBy: "\(user.displayName) (\(user.username))", at: req.now)
                item.$cycle.id = cycleID
                item.indicatorCode = step.code
                try await ActionController.insert(item, agency: agency, region: region, user: user, on: tx, req: req)
                created += 1
            }
            return created
        }
        var url = SiteURL.plan(year: c.data.cycle.year).path + "?layer=\(c.layer.rawValue)&done=\(created)"
        if let target = fields["target"], !target.isEmpty {
            url += "&target=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return req.redirect(to: url)
    }

    // MARK: Efforts

    @Sendable static func setEfforts(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.load(region: region, year: year, on: req.db, library: req.application.instruments) else {
            throw Abort(.notFound)
        }
        let fields = try Setup.fields(req)
        var wanted: [String: Int] = [:]
        for code in data.compiled.indicatorCodes {
            guard let text = fields["effort_\(code)"], !text.isEmpty else { continue }
            guard let n = Int(text), (1...maxEffort).contains(n) else {
                throw Abort(.badRequest, reason: req.t.format("plan_effort_invalid", ["code": code, "max": String(maxEffort)]))
            }
            wanted[code] = n
        }
        let user = try req.requireUser()
        let cycleID = try data.cycle.requireID()
        let changes = wanted
        try await req.db.writeTransaction { tx in
            for (code, n) in changes where (data.assessments[code]?.planEffort ?? 1) != n {
                _ = try await Assessment.ensure(cycleID: cycleID, code: code, at: req.now, on: tx)
                guard let a = try await Assessment.query(on: tx).filter(\.$cycle.$id == cycleID)
                    .filter(\.$indicatorCode == code).first() else { continue }
                let before = a.planEffort ?? 1
                a.planEffort = n == 1 ? nil : n
                try await a.save(on: tx)
                try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycleID, entity: "indicator", key: code,
                                          action: "plan_effort", changes: [.init(field: "plan_effort", before: String(before), after: String(n))],
                                          actor: user)
            }
        }
        return req.redirect(to: SiteURL.plan(year: year).path + "?efforts=1")
    }
}
