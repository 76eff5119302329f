import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/pillars`: who owns each of the region's pillars — the lead agency and the supporting
/// ones — with a change form per pillar.
enum PillarsSetupPage {
    typealias Form = PillarAdminController.Form

    struct Row: Encodable {
        var code: String
        var name: String
        var lead: String?
        var supports: [String]
        var action: String
        var leads: [Setup.Option]
        var checks: [Setup.Check]
        var errors: [String: String]
        var open: Bool
    }

    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var saved: String?
    }

    /// - Parameters:
    ///   - editing: the pillar whose change was refused: its form shows `typed` and `errors`.
    ///   - saved: `updated` after a save (anything else shows nothing).
    static func build(
        _ req: Request, editing: String? = nil, typed: Form = .init(), errors: [String: String] = [:], saved: String? = nil
    ) async throws -> Context {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let agencies = try await Setup.agencies(req, region: region)
        let byID = Dictionary(agencies.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        let pillars = try await Pillar.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$position).all()
        let pillarIDs = pillars.compactMap(\.id)
        let supports = pillarIDs.isEmpty ? [] : try await PillarSupport.query(on: req.db).filter(\.$pillar.$id ~~ pillarIDs).all()
        let rows = pillars.map { p in
            let own = supports.filter { $0.$pillar.id == p.id }.map { $0.$agency.id.uuidString }
            let isEdited = editing == p.code
            let lead = isEdited ? typed.lead : p.$leadAgency.id?.uuidString
            let checked = Set(isEdited ? typed.supports ?? [] : own)
            return Row(code: p.code, name: p.name,
                       lead: p.$leadAgency.id.flatMap { byID[$0] }.map { "\($0.code) — \($0.name)" },
                       supports: own.compactMap { UUID(uuidString: $0).flatMap { byID[$0]?.code } }.sorted(),
                       action: SiteURL.adminPillar(code: p.code).path,
                       leads: Setup.agencyOptions(agencies, selected: lead, empty: t["setup_no_agency"]),
                       checks: agencies.compactMap { a in
                           a.id.map { Setup.Check(value: $0.uuidString, label: a.code, checked: checked.contains($0.uuidString)) }
                       },
                       errors: isEdited ? errors : [:], open: isEdited)
        }
        return Context(page: PageChrome(request: req, title: t["setup_pillars"]), tabs: try Setup.tabs(req), rows: rows,
                       saved: saved == "updated" ? t["setup_saved_updated"] : nil)
    }
}
