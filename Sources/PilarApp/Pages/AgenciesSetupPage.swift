import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/agencies`: the region's agencies (OPD) with their user counts, a change form per row and
/// the add form.
enum AgenciesSetupPage {
    typealias Form = AgencyAdminController.Form

    struct Row: Encodable {
        var id: String
        var code: String
        var name: String
        var headTitle: String
        var isCoordinator: Bool
        var users: Int
        var action: String
        var coordinatorAction: String
        /// Open with the typed values and errors when a change to this row was refused.
        var form: Form
        var errors: [String: String]
        var open: Bool
    }

    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var form: Form
        var errors: [String: String]
        var saved: String?
        var createAction: String
        /// No agency is marked as the coordinating agency yet.
        var noCoordinator: Bool
        var sheet: Setup.SheetLinks
    }

    /// - Parameters:
    ///   - form: what was typed, shown in the add form or, with `rowID`, in that row's change form.
    ///   - saved: `created` or `updated` after a save (anything else shows nothing).
    static func build(
        _ req: Request, form: Form = .init(), errors: [String: String] = [:], rowID: UUID? = nil, saved: String? = nil
    ) async throws -> Context {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let counts = try await Setup.userCounts(req.db, region: region.requireID())
        let rows = agencies.compactMap { a -> Row? in
            guard let id = a.id else { return nil }
            let isEdited = id == rowID
            return Row(id: id.uuidString, code: a.code, name: a.name, headTitle: a.headTitle,
                       isCoordinator: a.isCoordinator, users: counts[id] ?? 0,
                       action: SiteURL.adminAgency(id: id).path, coordinatorAction: SiteURL.adminAgencyCoordinator(id: id).path,
                       form: isEdited ? form : Form(code: a.code, name: a.name, headTitle: a.headTitle),
                       errors: isEdited ? errors : [:], open: isEdited)
        }
        return Context(page: PageChrome(request: req, title: t["setup_agencies"]), tabs: try Setup.tabs(req), rows: rows,
                       form: rowID == nil ? form : .init(), errors: rowID == nil ? errors : [:],
                       saved: saved.flatMap { key -> String? in
                           if key == "imported" {
                               return t.format("setup_saved_imported", ["created": (try? req.query.get(Int.self, at: "created")).map(String.init) ?? "0",
                                                                        "updated": (try? req.query.get(Int.self, at: "updated")).map(String.init) ?? "0"])
                           }
                           return ["created", "updated", "coordinator"].contains(key) ? t["setup_saved_\(key)"] : nil
                       },
                       createAction: SiteURL.adminAgencies.path, noCoordinator: !agencies.isEmpty && !agencies.contains { $0.isCoordinator },
                       sheet: Setup.SheetLinks(.agencySheet, req))
    }
}
