import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/pillars`: who owns each of the six pillars — the lead agency and the supporting ones.
enum PillarAdminController {
    typealias Check = Setup.Check

    struct Row: Encodable {
        var code: String
        var name: String
        var lead: String?
        var supports: [String]
        var action: String
        var leads: [Setup.Option]
        var checks: [Check]
        var errors: [String: String]
        var open: Bool
    }

    struct Page: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var rows: [Row]
        var saved: String?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        try await render(req, saved: try? req.query.get(String.self, at: "saved"))
    }

    static func render(
        _ req: Request, editing: String? = nil, typedLead: String? = nil, typedSupports: [String] = [],
        errors: [String: String] = [:], saved: String? = nil
    ) async throws -> View {
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
            let lead = isEdited ? typedLead : p.$leadAgency.id?.uuidString
            let checked = Set(isEdited ? typedSupports : own)
            return Row(code: p.code, name: p.name,
                       lead: p.$leadAgency.id.flatMap { byID[$0] }.map { "\($0.code) — \($0.name)" },
                       supports: own.compactMap { UUID(uuidString: $0).flatMap { byID[$0]?.code } }.sorted(),
                       action: SiteURL.adminPillar(code: p.code).path,
                       leads: Setup.agencyOptions(agencies, selected: lead, empty: t["setup_no_agency"]),
                       checks: agencies.map { a in
                           Check(value: a.id?.uuidString ?? "", label: a.code, checked: checked.contains(a.id?.uuidString ?? ""))
                       },
                       errors: isEdited ? errors : [:], open: isEdited)
        }
        let page = Page(page: PageChrome(request: req, title: t["setup_pillars"]), tabs: try Setup.tabs(req), rows: rows,
                        saved: saved == "updated" ? t["setup_saved_updated"] : nil)
        return try await req.view.render("setup_pillars", page)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        guard let code = req.parameters.get("pillar"),
              let pillar = try await Pillar.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$code == code).first()
        else { throw Abort(.notFound) }
        let fields = try Setup.fields(req)
        let typedLead = fields["lead"] ?? ""
        let typedSupports = Setup.list(req, "supports")
        let agencies = try await Setup.agencies(req, region: region)
        let byID = Dictionary(agencies.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        var errors: [String: String] = [:]
        var lead: Agency?
        if !typedLead.isEmpty {
            lead = UUID(uuidString: typedLead).flatMap { byID[$0] }
            if lead == nil { errors["lead"] = t["setup_agency_unknown"] }
        }
        var chosen: [Agency] = []
        for raw in Set(typedSupports) {
            guard let agency = UUID(uuidString: raw).flatMap({ byID[$0] }) else {
                errors["supports"] = t["setup_agency_unknown"]
                continue
            }
            if agency.id == lead?.id { errors["supports"] = t["setup_support_is_lead"] }
            chosen.append(agency)
        }
        guard errors.isEmpty else {
            return try await render(req, editing: code, typedLead: typedLead, typedSupports: typedSupports, errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let pillarID = try pillar.requireID()
        let user = try req.requireUser()
        let before = try await PillarSupport.query(on: req.db).filter(\.$pillar.$id == pillarID).all()
        let beforeCodes = before.compactMap { byID[$0.$agency.id]?.code }.sorted().joined(separator: ", ")
        let afterCodes = chosen.map(\.code).sorted().joined(separator: ", ")
        let beforeLead = pillar.$leadAgency.id.flatMap { byID[$0]?.code }
        pillar.$leadAgency.id = lead?.id
        let (newLead, supporting) = (lead, chosen)
        try await req.db.writeTransaction { tx in
            try await pillar.save(on: tx)
            try await PillarSupport.query(on: tx).filter(\.$pillar.$id == pillarID).delete()
            for agency in supporting { try await PillarSupport(pillarID: pillarID, agencyID: agency.requireID()).create(on: tx) }
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: nil, entity: "pillar", key: pillar.code,
                                      action: "update", changes: [
                                          .init(field: "lead_agency", before: beforeLead, after: newLead?.code),
                                          .init(field: "supports", before: beforeCodes.isEmpty ? nil : beforeCodes,
                                                after: afterCodes.isEmpty ? nil : afterCodes),
                                      ], actor: user)
        }
        return req.redirect(to: SiteURL.adminPillars.path + "?saved=updated")
    }
}
