import Fluent
import Foundation
import PilarCore
import Vapor

/// A programme's KPIs: `POST /programmes/{id}/kpis` (a new KPI, coordinator),
/// `POST /programmes/{id}/kpis/{kpi}` (the realisation of one period, by the owning agency; an
/// empty value removes it) and `POST /programmes/{id}/kpis/{kpi}/targets` (one year's targets,
/// coordinator; `target_<period>`, empty removes).
enum KPIController {
    struct NewForm: Content {
        var name: String?
        var unit: String?
        var frequency: String?
        var baseline: String?
        var lowerIsBetter: String?

        enum CodingKeys: String, CodingKey {
            case name = "kpi_name", unit = "kpi_unit", frequency = "kpi_frequency", baseline = "kpi_baseline",
                lowerIsBetter = "kpi_lower_is_better"
        }

        var typed: [String: String] {
            ["kpi_name": name.formText, "kpi_unit": unit.formText, "kpi_frequency": frequency.formText,
             "kpi_baseline": baseline.formText, "kpi_lower_is_better": lowerIsBetter.formText]
        }
    }

    struct RealisationForm: Content {
        var period: String?
        var value: String?
        var note: String?
        var evidenceID: String?

        enum CodingKeys: String, CodingKey { case period, value, note, evidenceID = "evidence_id" }

        func typed(kpi: UUID) -> [String: String] {
            ["kpi": kpi.uuidString, "period": period.formText, "value": value.formText, "note": note.formText,
             "evidence_id": evidenceID.formText]
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.manageProgrammes)
        let form = try req.content.decode(NewForm.self)
        var errors = FieldErrors()
        let name = form.name.formText, unit = form.unit.formText
        // A name or unit too long is shown at the name, which heads the form.
        if name.count > 300 || unit.count > 40 { errors.add("kpi_name", "setup_too_long") }
        if name.isEmpty { errors.add("kpi_name", "setup_required") }
        if unit.isEmpty { errors.add("kpi_unit", "setup_required") }
        let frequency = KPI.Frequency(rawValue: form.frequency.formText)
        if frequency == nil { errors.add("kpi_frequency", "setup_status_unknown") }
        let baseline = errors.number("kpi_baseline", form.baseline)
        guard errors.isEmpty, let frequency else {
            return try await ProgrammeController.refuse(req, record, form: form.typed, errors: errors.messages(req.t))
        }
        let pid = record.id
        let count = try await KPI.query(on: req.db).filter(\.$programme.$id == pid).count()
        let kpi = KPI(programmeID: pid, position: count, name: name, unit: unit, higherIsBetter: form.lowerIsBetter.formText != "1",
                      baseline: baseline, frequency: frequency)
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await kpi.create(on: tx)
            try await record.audit(req, on: tx, changes: [.init(field: "kpi", before: nil, after: "\(name) (\(unit))")], user: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "kpi"]))
    }

    @Sendable static func realisation(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let kpi = try await record.kpi(req)
        let kid = try kpi.requireID()
        let form = try req.content.decode(RealisationForm.self)
        let period = form.period.formText
        var errors = FieldErrors()
        let accepted = KPIPeriod.accepts(period, frequency: kpi.frequency,
                                         years: record.programme.startYear...record.programme.endYear)
        if !accepted { errors.add("period", "kpi_period_unknown") }
        let value = errors.number("value", form.value)
        let note = errors.text("note", form.note, max: 1000)
        var evidenceID: UUID?
        let raw = form.evidenceID.formText
        if !raw.isEmpty {
            let documents = try await EvidenceLibrary.of(req, region: record.region, agency: record.programme.$owner.id)
            evidenceID = documents.first { $0.id?.uuidString == raw }?.id
            if evidenceID == nil { errors.add("evidence_id", "evidence_attach_unknown") }
        }
        guard errors.isEmpty, let year = KPIPeriod.year(of: period) else {
            return try await ProgrammeController.refuse(req, record, year: KPIPeriod.year(of: period), form: form.typed(kpi: kid),
                                                        errors: errors.messages(req.t).mapKeys { "\(kid.uuidString)_\($0)" })
        }
        let user = try req.requireUser()
        try await KPISave.set(on: req.db, kpi: kpi, period: period, value: value, note: note.isEmpty ? nil : note,
                              evidenceID: evidenceID, user: user, regionID: record.region.requireID(), at: req.now)
        return req.redirect(to: SiteURL.programme(id: record.id).path(query: ["year": String(year), "saved": "kpi"]))
    }

    @Sendable static func targets(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.manageProgrammes)
        let t = req.t
        let kpi = try await record.kpi(req)
        let kid = try kpi.requireID()
        // `year`, and `target_<period>` for each of the year's periods (`target_2022-03`).
        let form = try req.content.decode(NamedFields.self)
        guard let year = Int(form["year"].formText), (record.programme.startYear...record.programme.endYear).contains(year) else {
            throw Abort(.badRequest, reason: "kpi_period_unknown")
        }
        let periods = KPIPeriod.all(kpi.frequency, year: year)
        var values: [String: Double?] = [:]
        var errors: [String: String] = [:]
        for period in periods {
            switch FieldErrors.parseNumber(form["target_\(period)"]) {
            case let .some(v): values[period] = v
            case .none: errors["\(kid.uuidString)_target"] = t.format("kpi_target_invalid", ["period": KPIChart.periodLabel(period, t)])
            }
        }
        guard errors.isEmpty else {
            return try await ProgrammeController.refuse(req, record, year: year, form: form.values, errors: errors)
        }
        let user = try req.requireUser()
        let chosen = values
        try await req.writeTransaction { tx in
            let stored = try await KPITarget.query(on: tx).filter(\.$kpi.$id == kid).filter(\.$period ~~ periods).all()
            var changes: [AuditLog.Change] = []
            for period in periods {
                let old = stored.first { $0.period == period }
                let new = chosen[period] ?? nil
                guard old?.target != new else { continue }
                changes.append(.init(field: "target_\(period)", before: old.map { InstrumentText.level($0.target) }, after: AuditLog.text(new)))
                if let old { try await old.delete(on: tx) }
                if let new { try await KPITarget(kpiID: kid, period: period, target: new).create(on: tx) }
            }
            try await record.audit(req, on: tx, entity: "kpi", key: kpi.name, changes: changes, user: user)
        }
        return req.redirect(to: SiteURL.programme(id: record.id).path(query: ["year": String(year), "saved": "targets"]))
    }
}

extension Dictionary {
    func mapKeys<K: Hashable>(_ transform: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(map { (transform($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
