import Fluent
import Foundation
import PilarCore
import Vapor

/// The programme a `/programmes/{id}…` request is about, with its region. Loading it checks that
/// it belongs to the user's region (another region's programme is not found) and that the user
/// may read programmes; each change then checks its own permission on `resource`.
struct ProgrammeRecord {
    let programme: Programme
    let region: Region
    let id: UUID

    var resource: AccessPolicy.Resource {
        AccessPolicy.Resource(regionID: region.id?.uuidString ?? "",
                              agencyIDs: Set([programme.$owner.id?.uuidString].compactMap { $0 }))
    }

    static func load(_ req: Request) async throws -> ProgrammeRecord {
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let programme = try await Programme.find(id, on: req.db),
              programme.$region.id == region.id else { throw Abort(.notFound) }
        let record = ProgrammeRecord(programme: programme, region: region, id: id)
        try req.authorize(.readProgrammes, on: record.resource)
        return record
    }

    /// One of the programme's KPIs, from the `kpi` parameter.
    func kpi(_ req: Request) async throws -> KPI {
        guard let kid = req.parameters.get("kpi", as: UUID.self), let kpi = try await KPI.find(kid, on: req.db),
              kpi.$programme.id == id else { throw Abort(.notFound) }
        return kpi
    }

    /// Records a change of the programme in the audit trail, inside the caller's transaction.
    func audit(_ req: Request, on tx: any Database, entity: String = "programme", key: String? = nil, action: String = "update",
               changes: [AuditLog.Change], user: User) async throws {
        try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: entity,
                                  key: key ?? programme.title, action: action, changes: changes, actor: user)
    }
}
