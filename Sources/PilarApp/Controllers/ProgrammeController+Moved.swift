import Foundation
import PilarCore
import Vapor

// Temporary: names that moved while other areas are being changed (issue 11); removed once no
// caller uses them.
extension ProgrammeController {
    typealias EvidenceRef = PilarApp.EvidenceRef

    static func library(_ req: Request, region: Region, agency: UUID?) async throws -> [Evidence] {
        try await EvidenceLibrary.of(req, region: region, agency: agency)
    }

    static func reference(_ e: Evidence) -> EvidenceRef {
        EvidenceRef(e) ?? EvidenceRef(title: e.title, href: e.url ?? "")
    }

    static func periods(_ frequency: KPI.Frequency, year: Int) -> [String] { KPIPeriod.all(frequency, year: year) }

    static func chart(_ k: KPI, periods: [String], targets: [String: Double], actuals: [String: Double],
                      t: Catalog.Strings, lang: Language) -> KPIChart {
        KPIChart.year(name: k.name, unit: k.unit, periods: periods, targets: targets, actuals: actuals, t: t, lang: lang)
    }
}
