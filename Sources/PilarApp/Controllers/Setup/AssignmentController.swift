import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/assignments`: who answers each indicator (a lead agency plus contributors) and
/// its target level — set in bulk for a whole pillar or group, or for the ticked indicators.
enum AssignmentController {
    struct Form: Content {
        /// `selected` (the ticked `codes[]`), `group` or `pillar`.
        var scope: String?
        var group: String?
        var pillar: String?
        var lead: String?
        var target: String?
        var replaceContributors: String?
        var codes: [String]?
        var contributors: [String]?

        enum CodingKeys: String, CodingKey {
            case scope, group, pillar, lead, target, replaceContributors = "replace_contributors", codes, contributors
        }

        /// The text fields trimmed.
        var normalized: Form {
            func trim(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines) }
            return Form(scope: trim(scope), group: trim(group), pillar: trim(pillar), lead: trim(lead), target: trim(target),
                        replaceContributors: trim(replaceContributors), codes: codes, contributors: contributors)
        }
    }

    struct Filter: Content {
        var group: String?
        var pillar: String?
        var saved: Int?
    }

    static let unchanged = ""
    static let clear = "none"

    static func load(_ req: Request) async throws -> CycleData {
        try req.authorize(.manageCycles)
        let region = try await req.currentRegion()
        guard let year = req.parameters.get("year", as: Int.self),
              let data = try await CycleData.load(region: region, year: year, on: req.db, library: req.application.instruments)
        else { throw Abort(.notFound) }
        return data
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let data = try await load(req)
        let filter = try? req.query.decode(Filter.self)
        let saved = filter?.saved.map { req.t.format("assign_saved", ["count": String($0)]) }
        let page = try await AssignmentsPage.build(req, data: data, form: Form(scope: "selected"), saved: saved,
                                                   filterGroup: filter?.group ?? "", filterPillar: filter?.pillar ?? "")
        return try await req.view.render("assignments", page)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let data = try await load(req)
        let t = req.t
        let form = try req.content.decode(Form.self).normalized
        let ticked = Set(form.codes ?? [])
        let chosenContributors = Set(form.contributors ?? [])
        let instrument = data.compiled.instrument
        let paths = instrument.indicatorPaths
        var errors: [String: String] = [:]
        // Which indicators: the ticked ones, a whole group, or a whole pillar.
        var codes: [String] = []
        switch form.scope ?? "" {
        case "selected":
            codes = paths.map(\.node.code).filter(ticked.contains)
            if ticked.subtracting(codes).isEmpty == false { errors["codes"] = t["assign_unknown_code"] }
            if codes.isEmpty && errors["codes"] == nil { errors["codes"] = t["assign_none_selected"] }
        case "group":
            let group = form.group ?? ""
            codes = paths.filter { $0.ancestors.first?.code == group }.map(\.node.code)
            if codes.isEmpty { errors["group"] = t["assign_group_unknown"] }
        case "pillar":
            let pillar = form.pillar ?? ""
            codes = paths.filter { Instrument.pillar(of: $0.node, ancestors: $0.ancestors) == pillar }.map(\.node.code)
            if codes.isEmpty { errors["pillar"] = t["assign_pillar_unknown"] }
        default:
            errors["scope"] = t["assign_scope_unknown"]
        }
        let agencies = try await Setup.agencies(req, region: data.region)
        let byID = Dictionary(agencies.compactMap { a in a.id.map { ($0.uuidString, a) } }, uniquingKeysWith: { a, _ in a })
        let leadField = form.lead ?? unchanged
        var lead: Setup.AgencyRow?
        if leadField != unchanged && leadField != clear {
            lead = byID[leadField]
            if lead == nil { errors["lead"] = t["setup_agency_unknown"] }
        }
        let replaceContributors = form.replaceContributors == "1"
        if chosenContributors.contains(where: { byID[$0] == nil }) { errors["contributors"] = t["setup_agency_unknown"] }
        let targetField = form.target ?? unchanged
        var target: Double?
        if targetField != unchanged && targetField != clear {
            if let value = Int(targetField), instrument.scale.wholeLevels.contains(value) {
                target = Double(value)
            } else {
                errors["target"] = t["assign_target_invalid"]
            }
        }
        if errors.isEmpty && leadField == unchanged && !replaceContributors && targetField == unchanged {
            errors["lead"] = t["assign_nothing_to_change"]
        }
        guard errors.isEmpty else {
            let page = try await AssignmentsPage.build(req, data: data, form: form, errors: errors)
            return try await req.view.render("assignments", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let owners = data.owners()
        let cycleID = try data.cycle.requireID()
        let regionID = try data.region.requireID()
        let codeOf: @Sendable (UUID?) -> String? = { id in id.flatMap { byID[$0.uuidString]?.code } }
        let (chosenCodes, newLeadAgency, newTarget) = (codes, lead, target)
        try await req.writeTransaction { tx in
            for code in chosenCodes {
                let stored = data.assessments[code]
                let assessment = if let stored { stored } else { try await Assessment.ensure(cycleID: cycleID, code: code, at: req.now, on: tx).answer }
                let id = assessment.id
                var changes: [AuditLog.Change] = []
                let oldLead = assessment.leadAgencyID
                let newLead = leadField == unchanged ? oldLead : newLeadAgency?.id
                // Only the assignment columns are written: an agency's concurrent answer is untouched.
                let update = Assessment.query(on: tx).filter(\.$id == id)
                var touched = false
                if newLead != oldLead {
                    update.set(\.$leadAgency.$id, to: newLead)
                    changes.append(.init(field: "lead_agency", before: codeOf(oldLead), after: codeOf(newLead)))
                    touched = true
                }
                if targetField != unchanged, newTarget != assessment.targetLevel {
                    update.set(\.$targetLevel, to: newTarget)
                    changes.append(.init(field: "target_level", before: AuditLog.text(assessment.targetLevel), after: AuditLog.text(newTarget)))
                    touched = true
                }
                if touched { try await update.update() }
                let oldContributors = (owners[id] ?? []).filter { $0 != oldLead?.uuidString }
                var newContributors = replaceContributors ? chosenContributors : oldContributors
                if let newLead { newContributors.remove(newLead.uuidString) }
                if newContributors != oldContributors {
                    try await AssessmentContributor.query(on: tx).filter(\.$assessment.$id == id).delete()
                    for agency in newContributors.sorted() {
                        if let agencyID = UUID(uuidString: agency) {
                            try await AssessmentContributor(assessmentID: id, agencyID: agencyID).create(on: tx)
                        }
                    }
                    func text(_ set: Set<String>) -> String? {
                        let list = set.compactMap { byID[$0]?.code }.sorted()
                        return list.isEmpty ? nil : list.joined(separator: ", ")
                    }
                    changes.append(.init(field: "contributors", before: text(oldContributors), after: text(newContributors)))
                }
                try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: cycleID, entity: "assessment", key: code,
                                          action: "assign", changes: changes, actor: user)
            }
        }
        return req.redirect(to: SiteURL.assignments(year: data.cycle.year).path(query: ["saved": String(codes.count)]))
    }
}
