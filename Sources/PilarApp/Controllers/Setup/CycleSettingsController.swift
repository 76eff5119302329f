import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/cycles/{year}`: a cycle's target, evaluation date, status and stage dates.
enum CycleSettingsController {
    typealias Form = CycleAdminController.Form

    struct SavedQuery: Content {
        var saved: String?
    }

    static func find(_ req: Request) async throws -> (Region, Cycle) {
        let region = try await req.currentRegion()
        guard let year = req.parameters.get("year", as: Int.self),
              let cycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
                .filter(\.$year == year).first()
        else { throw Abort(.notFound) }
        return (region, cycle)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        try req.authorize(.manageCycles)
        let (_, cycle) = try await find(req)
        let saved = try? req.query.decode(SavedQuery.self).saved
        return try await req.view.render("setup_cycle", try await CycleSetupPage.build(req, cycle: cycle, saved: saved))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageCycles)
        let (region, cycle) = try await find(req)
        let form = try req.content.decode(Form.self)
        let compiled = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db)
        let (settings, errors) = CycleSettings.check(form, scale: compiled.instrument.scale, t: req.t)
        guard errors.isEmpty else {
            let page = try await CycleSetupPage.build(req, cycle: cycle, form: form, errors: errors)
            return try await req.view.render("setup_cycle", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let cycleID = try cycle.requireID()
        let catalogID = req.application.catalog.strings(.id)
        let changes: [AuditLog.Change] = [
            .init(field: "target_index", before: AuditLog.text(cycle.targetIndex), after: AuditLog.text(settings.target)),
            .init(field: "evaluation_date", before: cycle.evaluationDate, after: settings.evaluationDate),
            .init(field: "status", before: cycle.status.rawValue, after: settings.status.rawValue),
        ]
        cycle.targetIndex = settings.target
        cycle.evaluationDate = settings.evaluationDate
        cycle.status = settings.status
        try await req.writeTransaction { tx in
            var changes = changes
            try await cycle.save(on: tx)
            let stored = try await CycleStage.query(on: tx).filter(\.$cycle.$id == cycleID).all()
            for (i, kind) in CycleSettings.stageKinds.enumerated() {
                let dates = settings.stages[kind] ?? (nil, nil)
                let stage = stored.first { $0.kind == kind }
                    ?? CycleStage(cycleID: cycleID, position: i, kind: kind, name: catalogID["stage_kind_\(kind)"],
                                  startsOn: nil, endsOn: nil)
                changes.append(.init(field: "stage_\(kind)", before: stage.id == nil ? nil : "\(stage.startsOn ?? "–") … \(stage.endsOn ?? "–")",
                                     after: "\(dates.0 ?? "–") … \(dates.1 ?? "–")"))
                stage.startsOn = dates.0
                stage.endsOn = dates.1
                try await stage.save(on: tx)
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: cycleID, entity: "cycle",
                                      key: String(cycle.year), action: "update", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.adminCycle(year: cycle.year).path(query: ["saved": "updated"]))
    }
}
