import Fluent
import Foundation
import PilarCore
import Vapor

extension ProgrammePage {
    struct KPIRow: Encodable {
        var period: String
        var label: String
        var target: String
        var actual: String
        var note: String?
        var behind: Bool
        var evidence: EvidenceRef?
        /// The target as it goes into the coordinator's target form (no thousands dots).
        var targetInput: String
    }

    struct KPIBlock: Encodable {
        var id: String
        var name: String
        var unit: String
        var higherIsBetter: Bool
        var baseline: String
        var frequency: String
        var chart: KPIChart
        var rows: [KPIRow]
        var action: String
        var targetsAction: String
        var periods: [Setup.Option]
        var latest: String?
        var documents: [Setup.Option]
    }

    /// The programme's KPIs for the year shown: asked for (within the programme's years), else the
    /// quick-win year, else the latest with figures, else the first year.
    static func kpiBlocks(_ req: Request, _ record: ProgrammeRecord, requested: Int?, form: [String: String],
                          canEdit: Bool) async throws -> (year: Int, blocks: [KPIBlock]) {
        let t = req.t, lang = req.language
        let p = record.programme, id = record.id
        let kpis = try await KPI.query(on: req.db).filter(\.$programme.$id == id).sort(\.$position).all()
        let kpiIDs = kpis.compactMap(\.id)
        let targets = kpiIDs.isEmpty ? [] : try await KPITarget.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        let actuals = kpiIDs.isEmpty ? [] : try await KPIRealisation.query(on: req.db).filter(\.$kpi.$id ~~ kpiIDs).all()
        let yearsWithData = Set(actuals.compactMap { KPIPeriod.year(of: $0.period) })
        let year = requested.flatMap { (p.startYear...p.endYear).contains($0) ? $0 : nil }
            ?? p.quickWinYear ?? yearsWithData.max() ?? p.startYear
        let documents = canEdit ? try await EvidenceLibrary.of(req, region: record.region, agency: p.$owner.id) : []
        let usedIDs = Array(Set(actuals.compactMap(\.evidenceID)))
        let used = usedIDs.isEmpty ? [] : try await Evidence.query(on: req.db).filter(\.$id ~~ usedIDs).all()
        func fmt(_ v: Double) -> String { Format.number(v, lang) }
        let blocks = kpis.compactMap { k -> KPIBlock? in
            guard let kid = k.id else { return nil }
            let periods = KPIPeriod.all(k.frequency, year: year)
            let tt = Dictionary(targets.filter { $0.$kpi.id == kid }.map { ($0.period, $0.target) }, uniquingKeysWith: { a, _ in a })
            let own = actuals.filter { $0.$kpi.id == kid }
            let aa = Dictionary(own.map { ($0.period, $0.value) }, uniquingKeysWith: { a, _ in a })
            let notes = Dictionary(own.compactMap { r in r.note.map { (r.period, $0) } }, uniquingKeysWith: { a, _ in a })
            let backing = Dictionary(own.compactMap { r in
                r.evidenceID.flatMap { eid in used.first { $0.id == eid } }.flatMap(EvidenceRef.init).map { (r.period, $0) }
            }, uniquingKeysWith: { a, _ in a })
            let labels = periods.map { KPIChart.periodLabel($0, t) }
            let latest = periods.last { aa[$0] != nil }
            let chosen = (form["kpi"] == kid.uuidString ? form["period"] : nil) ?? periods.first { aa[$0] == nil }
            return KPIBlock(
                id: kid.uuidString, name: k.name, unit: k.unit, higherIsBetter: k.higherIsBetter,
                baseline: k.baseline.map(fmt) ?? "–", frequency: t["frequency_\(k.frequency.rawValue)"],
                chart: KPIChart.year(name: k.name, unit: k.unit, periods: periods, targets: tt, actuals: aa, t: t, lang: lang),
                rows: periods.enumerated().map { i, period in
                    let target = tt[period], actual = aa[period]
                    return KPIRow(period: period, label: labels[i], target: target.map(fmt) ?? "–", actual: actual.map(fmt) ?? "–",
                                  note: notes[period],
                                  behind: KPIGoal.isBehind(actual: actual, target: target, higherIsBetter: k.higherIsBetter),
                                  evidence: backing[period],
                                  targetInput: target.map { Format.decimal(InstrumentText.level($0), lang) } ?? "")
                },
                action: SiteURL.kpiRealisations(programme: id, kpi: kid).path,
                targetsAction: SiteURL.kpiTargets(programme: id, kpi: kid).path,
                periods: periods.enumerated().map { i, period in
                    Setup.Option(value: period, label: labels[i], selected: period == chosen)
                },
                latest: latest.map { KPIChart.periodLabel($0, t) },
                documents: EvidenceLibrary.options(documents, none: t["kpi_no_document"]))
        }
        return (year, blocks)
    }
}
