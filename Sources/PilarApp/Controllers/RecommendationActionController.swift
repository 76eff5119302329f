import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /cycles/{year}/recommendations/{id}/action`: an action item for the recommendation's agency (coordinator).
enum RecommendationActionController {
    struct Form: Content {
        var title: String?
        var dueOn: String?
        var priority: String?
        /// The page the form was on.
        var back: String?

        enum CodingKeys: String, CodingKey { case title, dueOn = "due_on", priority, back }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = c.formText(.title)
            dueOn = c.formText(.dueOn)
            priority = c.formText(.priority)
            back = c.formText(.back)
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        try req.authorize(.manageActions)
        let (region, cycle) = try await RecommendationController.cycle(req, year: req.parameters.get("year", as: Int.self))
        guard let id = req.parameters.get("id", as: UUID.self), let rec = try await Recommendation.find(id, on: req.db),
              rec.$cycle.id == cycle.id, let agencyID = rec.$agency.id, let agency = try await Agency.find(agencyID, on: req.db)
        else { throw Abort(.notFound) }
        let form = try req.content.decode(Form.self)
        // Without a title of its own, the item is called after the recommendation.
        let title = (form.title ?? "").isEmpty ? String(rec.text.prefix(200)) : form.title
        let checked = try await ActionItems.check(
            .init(title: title, assignee: agencyID.uuidString, dueOn: form.dueOn, priority: form.priority ?? "normal"),
            region: region, on: req.db)
        guard checked.errors.isEmpty, let priority = checked.priority else {
            let page = try await RecommendationsPage.build(req, region: region, cycle: cycle, errors: checked.errors.messages(req.t),
                                                           editing: id)
            return try await req.view.render("recommendations", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let cycleID = try cycle.requireID()
        _ = try await ActionItems.create(req, region: region, title: title ?? "", description: rec.text, agency: agency,
                                         dueOn: form.dueOn, priority: priority) { item in
            item.$recommendation.id = id
            item.$cycle.id = cycleID
        }
        return req.redirect(to: RecommendationController.back(form.back, year: cycle.year))
    }
}
