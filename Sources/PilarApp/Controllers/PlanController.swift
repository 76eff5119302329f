import Foundation
import PilarCore
import Vapor

/// `GET /cycles/{year}/plan?layer=…&target=…`: the gap-to-target plan. Its steps become action items
/// in `PlanActionsController`, its efforts are set in `PlanEffortsController`, its JSON is
/// `PlanAPIController`.
enum PlanController {
    struct Query: Content {
        var layer: String?
        var target: String?
        /// After the steps became action items: how many were created.
        var done: String?
        /// After the efforts were saved.
        var efforts: String?
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let q = try? req.query.decode(Query.self)
        let message = q?.done.map { req.t.format("plan_actions_done", ["n": $0]) }
            ?? (q?.efforts != nil ? req.t["plan_efforts_saved"] : nil)
        let record = try await PlanRecord.load(req, layer: q?.layer, target: q?.target)
        return try await req.view.render("plan", try PlanPage.build(req, record: record, message: message))
    }
}
