import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /cycles/{year}/plan/efforts`: the coordinator sets what one level step of each indicator
/// costs (`effort_CODE`, 1…`PlanRecord.maxEffort`; empty keeps it); the planner then favours the cheap steps.
enum PlanEffortsController {
    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.load(region: region, year: year, on: req.db, library: req.application.instruments) else {
            throw Abort(.notFound)
        }
        let form = try req.content.decode(NamedFields.self)
        var wanted: [String: Int] = [:]
        for code in data.compiled.indicatorCodes {
            guard let text = form["effort_\(code)"], !text.isEmpty else { continue }
            guard let n = Int(text), (1...PlanRecord.maxEffort).contains(n) else {
                throw Abort(.badRequest, reason: req.t.format("plan_effort_invalid", ["code": code, "max": String(PlanRecord.maxEffort)]))
            }
            wanted[code] = n
        }
        let user = try req.requireUser()
        let cycleID = try data.cycle.requireID()
        let changes = wanted
        try await req.writeTransaction { tx in
            for (code, n) in changes where (data.assessments[code]?.planEffort ?? 1) != n {
                _ = try await Assessment.ensure(cycleID: cycleID, code: code, at: req.now, on: tx)
                guard let a = try await Assessment.query(on: tx).filter(\.$cycle.$id == cycleID)
                    .filter(\.$indicatorCode == code).first() else { continue }
                let before = a.planEffort ?? 1
                a.planEffort = n == 1 ? nil : n
                try await a.save(on: tx)
                try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycleID, entity: "indicator", key: code,
                                          action: "plan_effort", changes: [.init(field: "plan_effort", before: String(before), after: String(n))],
                                          actor: user)
            }
        }
        return req.redirect(to: SiteURL.plan(year: year).path(query: ["efforts": "1"]))
    }
}
