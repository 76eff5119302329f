import Fluent
import Foundation
import PilarCore
import Vapor

/// `/actions`: the action items the user may read (each agency its own; the coordinator and
/// leadership all, overdue first), filtered and paged, with the coordinator's new-item form.
enum ActionsPage {
    struct Context: Encodable {
        var page: PageChrome
        var actionRows: [ActionRow]
        var open: Int
        var overdue: Int
        var pager: Pager
        /// The agency filter, for those who read every agency's items.
        var agencyFilter: [Setup.Option]?
        var shows: [Setup.Option]
        /// The list as it is filtered, to download.
        var downloads: [Setup.Option]
        var canCreate: Bool
        var form: ActionController.Form
        var errors: [String: String]
        var agencies: [Setup.Option]
        var priorities: [Setup.Option]
        var saved: Bool
        var programmes: [Setup.Option]
        /// Where the filter and the new-item form are sent.
        var listAction: String
    }

    typealias Filter = ActionList.Filter

    static func build(_ req: Request, filter: Filter, form: ActionController.Form, errors: [String: String] = [:],
                      saved: Bool = false) async throws -> Context {
        try req.authorize(.readActions)
        let t = req.t
        let actor = try req.actor()
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let selection = try ActionList.Selection(req, region: region, filter: filter, agencies: agencies)
        let only = selection.only, readsAll = selection.readsAll
        // Counted and paged by the database: a large region has thousands of items.
        let open = try await selection.count(.open)
        let overdue = try await selection.count(.overdue)
        let total = filter.show == .open ? open : filter.show == .overdue ? overdue : try await selection.count(.all)
        let pager = Pager(total: total, requested: filter.page, path: SiteURL.actions.path, query: selection.query,
                          t: req.t)
        let items = try await selection.items(range: pager.offset..<(pager.offset + pager.perPage))
        let rows = try await ActionList.rows(req, region: region, items: items, agencies: agencies)
        let canCreate = AccessPolicy.allows(actor, .manageActions)
        var title = t["actions_title"]
        if let only { title += " · " + only.code }
        // The new-item form's programmes, only for those who see the form.
        let programmes = canCreate
            ? try await Programme.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$title).all() : []
        let chosenProgramme = form.programme ?? ""
        return Context(
            page: PageChrome(request: req, title: title), actionRows: rows, open: open, overdue: overdue, pager: pager,
            agencyFilter: readsAll
                ? [Setup.Option(value: "", label: t["actions_all_agencies"], selected: only == nil)] + agencies.map {
                    // By code, as the dashboard's links name them.
                    Setup.Option(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.id == only?.id)
                } : nil,
            shows: Filter.Show.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["actions_show_\($0.rawValue)"], selected: $0 == filter.show)
            },
            downloads: SiteURL.ExportFormat.allCases.map { format in
                Setup.Option(value: Pager.link(SiteURL.listExport(list: .actions, format: format).path, query: selection.query),
                             label: format.rawValue.uppercased(), selected: false)
            },
            canCreate: canCreate, form: form, errors: errors,
            agencies: Setup.agencyOptions(agencies, selected: form.assignee, empty: t["actions_choose_agency"]),
            priorities: ActionItem.Priority.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["priority_\($0.rawValue)"], selected: $0.rawValue == form.priority)
            }, saved: saved,
            programmes: !canCreate ? [] : [Setup.Option(value: "", label: "–", selected: chosenProgramme.isEmpty)]
                + programmes.compactMap { p in
                    p.id.map { Setup.Option(value: $0.uuidString, label: p.title, selected: $0.uuidString == chosenProgramme) }
                },
            listAction: SiteURL.actions.path)
    }
}
