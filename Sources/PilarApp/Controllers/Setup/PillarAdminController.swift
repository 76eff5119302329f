import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/pillars`: who owns each of the six pillars — the lead agency and the supporting ones.
enum PillarAdminController {
    struct Form: Content {
        var lead: String?
        /// The ticked `supports[]` boxes.
        var supports: [String]?
    }

    struct SavedQuery: Content {
        var saved: String?
    }

    @Sendable static func list(_ req: Request) async throws -> View {
        let saved = try? req.query.decode(SavedQuery.self).saved
        return try await req.view.render("setup_pillars", try await PillarsSetupPage.build(req, saved: saved))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        guard let code = req.parameters.get("pillar"),
              let pillar = try await Pillar.query(on: req.db).filter(\.$region.$id == regionID).filter(\.$code == code).first()
        else { throw Abort(.notFound) }
        var form = try req.content.decode(Form.self)
        form.lead = form.lead?.trimmingCharacters(in: .whitespacesAndNewlines)
        let typedLead = form.lead ?? ""
        let agencies = try await Setup.agencies(req, region: region)
        let byID = Dictionary(agencies.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        var errors: [String: String] = [:]
        var lead: Setup.AgencyRow?
        if !typedLead.isEmpty {
            lead = UUID(uuidString: typedLead).flatMap { byID[$0] }
            if lead == nil { errors["lead"] = t["setup_agency_unknown"] }
        }
        var chosen: [Setup.AgencyRow] = []
        for raw in Set(form.supports ?? []) {
            guard let agency = UUID(uuidString: raw).flatMap({ byID[$0] }) else {
                errors["supports"] = t["setup_agency_unknown"]
                continue
            }
            if agency.id == lead?.id { errors["supports"] = t["setup_support_is_lead"] }
            chosen.append(agency)
        }
        guard errors.isEmpty else {
            let page = try await PillarsSetupPage.build(req, editing: code, typed: form, errors: errors)
            return try await req.view.render("setup_pillars", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let pillarID = try pillar.requireID()
        let user = try req.requireUser()
        let before = try await PillarSupport.query(on: req.db).filter(\.$pillar.$id == pillarID).all()
        let beforeCodes = before.compactMap { byID[$0.$agency.id]?.code }.sorted().joined(separator: ", ")
        let afterCodes = chosen.map(\.code).sorted().joined(separator: ", ")
        let beforeLead = pillar.$leadAgency.id.flatMap { byID[$0]?.code }
        pillar.$leadAgency.id = lead?.id
        let (newLead, supporting) = (lead, chosen)
        try await req.writeTransaction { tx in
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
        return req.redirect(to: SiteURL.adminPillars.path(query: ["saved": "updated"]))
    }
}
