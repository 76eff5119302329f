import Fluent
import Foundation
import PilarCore
import Vapor

/// The gap-to-target plan of one cycle: the plan page, its JSON, its steps turned into action items
/// and the printable report all start from it.
struct PlanRecord {
    /// The most a level step may cost (months, say); keeps the planner's table small.
    static let maxEffort = 120

    var data: CycleData
    var layer: ScoreLayer
    var target: Double
    var plan: Planner.Plan
    /// The effort of one level step, per indicator in the instrument's order.
    var efforts: [Int]
    /// Lead agency per indicator code.
    var agencies: [String: Agency]

    /// The title of the indicator a step raises.
    func title(_ step: Planner.Step) -> String {
        data.compiled.titles[data.compiled.indicatorNodes[step.slot]]
    }

    /// Plans the cycle `{year}` of the route from `layer` (verified by default) to `target` (the
    /// cycle's by default; `3,4` or `3.4`), or throws the status the page answers with.
    static func load(_ req: Request, layer raw: String?, target rawTarget: String?) async throws -> PlanRecord {
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
        let leads = Set(data.assessments.values.compactMap(\.leadAgencyID))
        let agencies = leads.isEmpty ? [] : try await Agency.query(on: req.db).filter(\.$id ~~ leads).all()
        var byCode: [String: Agency] = [:]
        for (code, a) in data.assessments {
            if let lead = a.leadAgencyID, let agency = agencies.first(where: { $0.id == lead }) { byCode[code] = agency }
        }
        return PlanRecord(data: data, layer: layer, target: target, plan: plan, efforts: efforts, agencies: byCode)
    }
}
