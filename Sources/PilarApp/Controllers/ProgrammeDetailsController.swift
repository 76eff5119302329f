import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /programmes/{id}/details`: the coordinator changes a programme's plan — title,
/// description, element, horizon, years, quick-win year, supporting agencies, the indicators it
/// serves and whether the public page shows it.
enum ProgrammeDetailsController {
    struct Form: Content {
        var title: String?
        var description: String?
        var element: String?
        var horizon: String?
        var startYear: String?
        var endYear: String?
        var quickWinYear: String?
        var indicators: String?
        var isPublic: String?
        var supports: [String]?

        enum CodingKeys: String, CodingKey {
            case title, description, element, horizon, startYear = "start_year", endYear = "end_year",
                quickWinYear = "quick_win_year", indicators, isPublic = "public", supports
        }

        var typed: ProgrammePage.TypedDetails {
            .init(values: ["title": title.formText, "description": description.formText, "element": element.formText,
                           "horizon": horizon.formText, "start_year": startYear.formText, "end_year": endYear.formText,
                           "quick_win_year": quickWinYear.formText, "indicators": indicators.formText,
                           "public": isPublic.formText],
                  supports: supports ?? [])
        }

        /// The indicator codes typed, separated by commas or spaces.
        var indicatorCodes: Set<String> {
            Set(indicators.formText.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { String($0).uppercased() })
        }
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.manageProgrammes)
        let t = req.t
        let form = try req.content.decode(Form.self)
        let supportIDs = Set(form.supports ?? [])
        let codes = form.indicatorCodes
        var errors = FieldErrors()
        let plan = ProgrammePlan.check(title: form.title, horizon: form.horizon, startYear: form.startYear, endYear: form.endYear,
                                       quickWinYear: form.quickWinYear, errors: &errors)
        let pillar = SmartCityPillar.named(record.programme.pillarCode)
        let element = form.element.formText
        if !element.isEmpty, pillar?.elements.contains(where: { $0.code == element }) != true {
            errors.add("element", "programme_element_unknown")
        }
        let agencies = try await Setup.agencies(req, region: record.region)
        let known = Set(agencies.compactMap { $0.id?.uuidString })
        if !supportIDs.isSubset(of: known) { errors.add("supports", "setup_agency_unknown") }
        var messages = errors.messages(t)
        // Indicators must exist in the current cycle's instrument.
        if !codes.isEmpty {
            guard let cycle = try await CycleData.current(region: record.region, on: req.db) else { throw Abort(.notFound) }
            let instrument = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db).instrument
            let unknown = codes.filter { instrument.find($0)?.node.isIndicator != true }.sorted()
            if !unknown.isEmpty { messages["indicators"] = t.format("programme_indicator_unknown", ["codes": unknown.joined(separator: ", ")]) }
        }
        guard messages.isEmpty, let plan else {
            return try await ProgrammeController.refuse(req, record, errors: messages, typedDetails: form.typed)
        }
        let p = record.programme, pid = record.id
        let changes: [AuditLog.Change] = [
            .init(field: "name", before: p.title, after: plan.title),
            .init(field: "horizon", before: p.horizon.rawValue, after: plan.horizon.rawValue),
            .init(field: "years", before: "\(p.startYear)–\(p.endYear)", after: "\(plan.startYear)–\(plan.endYear)"),
            .init(field: "quick_win_year", before: p.quickWinYear.map(String.init), after: plan.quickWinYear.map(String.init)),
        ]
        let description = form.description.formText
        p.title = plan.title
        p.description = description.isEmpty ? nil : description
        p.elementCode = element.isEmpty ? nil : element
        p.horizon = plan.horizon
        p.startYear = plan.startYear
        p.endYear = plan.endYear
        p.quickWinYear = plan.quickWinYear
        p.isPublic = form.isPublic.formText == "1"
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await p.save(on: tx)
            try await ProgrammeSupport.query(on: tx).filter(\.$programme.$id == pid).delete()
            for id in supportIDs.sorted() {
                if let agency = UUID(uuidString: id), agency != p.$owner.id {
                    try await ProgrammeSupport(programmeID: pid, agencyID: agency).create(on: tx)
                }
            }
            try await ProgrammeIndicator.query(on: tx).filter(\.$programme.$id == pid).delete()
            for code in codes.sorted() { try await ProgrammeIndicator(programmeID: pid, indicatorCode: code).create(on: tx) }
            try await record.audit(req, on: tx, key: plan.title, changes: changes, user: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "details"]))
    }
}
