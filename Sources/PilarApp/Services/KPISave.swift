import Fluent
import Foundation
import PilarCore

/// Writing a KPI realisation: one place for the programme page and the spreadsheet upload.
enum KPISave {
    static func set(on db: any Database, kpi: KPI, period: String, value: Double?, note: String?, evidenceID: UUID? = nil,
                    user: User, regionID: UUID, at now: Date) async throws {
        try await db.writeTransaction(region: regionID) { tx in
            try await write(on: tx, kpi: kpi, period: period, value: value, note: note, evidenceID: evidenceID, user: user,
                            regionID: regionID, at: now)
        }
    }

    /// Inside the caller's transaction: replaces the period's realisation (none when `value` is nil).
    static func write(on tx: any Database, kpi: KPI, period: String, value: Double?, note: String?, evidenceID: UUID? = nil,
                      user: User, regionID: UUID, at now: Date) async throws {
        let kid = try kpi.requireID()
        let old = try await KPIRealisation.query(on: tx).filter(\.$kpi.$id == kid).filter(\.$period == period).first()
        if let old { try await old.delete(on: tx) }
        if let value {
            let realisation = KPIRealisation(kpiID: kid, period: period, value: value, note: note,
                                             enteredBy: "\(user.displayName) (\(user.username))", at: now)
            realisation.evidenceID = evidenceID
            try await realisation.create(on: tx)
        }
        try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "kpi", key: "\(kpi.name) \(period)",
                                  action: "realisation",
                                  changes: [.init(field: "value", before: old.map { InstrumentText.level($0.value) }, after: AuditLog.text(value)),
                                            .init(field: "note", before: old?.note, after: note)],
                                  actor: user)
    }
}
