import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /programmes/{id}/budgets`: one year's APBD and other-source amounts in whole Rupiah, by the
/// owning agency or the coordinator.
enum ProgrammeBudgetController {
    struct Form: Content {
        var budgetYear: String?
        var apbd: String?
        var other: String?

        enum CodingKeys: String, CodingKey { case budgetYear = "budget_year", apbd, other }

        var typed: [String: String] { ["budget_year": budgetYear.formText, "apbd": apbd.formText, "other": other.formText] }
    }

    /// Whole Rupiah as people type it (`Rp 1.250.000`); empty is nothing, nil when not an amount.
    static func rupiah(_ text: String?) -> Int64?? {
        let digits = text.formText.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "Rp", with: "")
            .trimmingCharacters(in: .whitespaces)
        if digits.isEmpty { return .some(0) }
        guard let v = Int64(digits), v >= 0 else { return nil }
        return .some(v)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let form = try req.content.decode(Form.self)
        var errors = FieldErrors()
        let year = Int(form.budgetYear.formText)
        if year == nil || !(record.programme.startYear...record.programme.endYear).contains(year!) {
            errors.add("budget_year", "programme_budget_year_invalid")
        }
        let apbd = rupiah(form.apbd) ?? nil, other = rupiah(form.other) ?? nil
        if apbd == nil { errors.add("apbd", "programme_rupiah_invalid") }
        if other == nil { errors.add("other", "programme_rupiah_invalid") }
        guard errors.isEmpty, let year, let apbd, let other else {
            return try await ProgrammeController.refuse(req, record, form: form.typed, errors: errors.messages(req.t))
        }
        let pid = record.id
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            let old = try await ProgrammeBudget.query(on: tx).filter(\.$programme.$id == pid).filter(\.$year == year).first()
            if let old { try await old.delete(on: tx) }
            try await ProgrammeBudget(programmeID: pid, year: year, apbd: apbd, other: other).create(on: tx)
            try await record.audit(req, on: tx, changes: [.init(field: "budget_\(year)", before: old.map { "\($0.apbd) + \($0.other)" },
                                                                after: "\(apbd) + \(other)")], user: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "budget"]))
    }
}
