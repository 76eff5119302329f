import Foundation
import PilarCore
import Vapor

/// `GET /api/v1/cycles/{year}/plan?layer=…&target=…`: the gap-to-target plan as JSON.
enum PlanAPIController {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let q = try? req.query.decode(PlanController.Query.self)
        let c = try await PlanRecord.load(req, layer: q?.layer, target: q?.target)
        let steps: [[String: Any]] = c.plan.steps.map { s in
            ["code": s.code, "title": c.title(s), "from": s.from, "to": s.to, "gain": s.gain, "effort": s.effort,
             "agency": PlansAPIController.null(c.agencies[s.code]?.code)]
        }
        return try PlansAPIController.json([
            "year": c.data.cycle.year, "layer": c.layer.rawValue, "target": c.target,
            "index_before": PlansAPIController.null(c.plan.indexBefore), "index_after": PlansAPIController.null(c.plan.indexAfter),
            "effort": c.plan.effort, "reaches_target": c.plan.reachesTarget, "exact": c.plan.exact, "steps": steps, "unscored": c.plan.unscored,
            "agencies": Array(Set(c.plan.steps.compactMap { c.agencies[$0.code]?.code })).sorted(),
        ])
    }
}
