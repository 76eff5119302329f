import Fluent
import Foundation
import PilarCore
import Vapor

/// Changing a programme's plan: its details, supporting agencies and indicators (coordinator);
/// a year's budget and new milestones (the owning agency or the coordinator).
extension ProgrammeController {
    /// `POST /programmes/{id}/details`.
    @Sendable static func details(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.manageProgrammes)
        let t = req.t
        let form = try Setup.fields(req)
        let supportIDs = Set(Setup.list(req, "supports"))
        let codes = Set((form["indicators"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { String($0).uppercased() })
        var errors: [String: String] = [:]
        let title = form["title"] ?? ""
        if title.isEmpty { errors["title"] = t["setup_required"] }
        if title.count > 300 { errors["title"] = t["setup_too_long"] }
        let horizon = Programme.Horizon(rawValue: form["horizon"] ?? "")
        if horizon == nil { errors["horizon"] = t["setup_status_unknown"] }
        let start = Int(form["start_year"] ?? ""), end = Int(form["end_year"] ?? "")
        if start == nil || !(2000...2100).contains(start!) { errors["start_year"] = t["setup_year_invalid"] }
        if end == nil || !(2000...2100).contains(end!) { errors["end_year"] = t["setup_year_invalid"] }
        if let start, let end, end < start { errors["end_year"] = t["programme_end_before_start"] }
        var quickWinYear: Int?
        if let raw = form["quick_win_year"], !raw.isEmpty {
            quickWinYear = Int(raw)
            if quickWinYear == nil || !(2000...2100).contains(quickWinYear!) { errors["quick_win_year"] = t["setup_year_invalid"] }
        }
        let pillar = SmartCityPillar.named(loaded.programme.pillarCode)
        let element = form["element"] ?? ""
        if !element.isEmpty, pillar?.elements.contains(where: { $0.code == element }) != true { errors["element"] = t["programme_element_unknown"] }
        let agencies = try await Setup.agencies(req, region: loaded.region)
        let known = Set(agencies.compactMap { $0.id?.uuidString })
        if !supportIDs.isSubset(of: known) { errors["supports"] = t["setup_agency_unknown"] }
        // Indicators must exist in the current cycle's instrument.
        if !codes.isEmpty {
            guard let cycle = try await CycleData.current(region: loaded.region, on: req.db) else { throw Abort(.notFound) }
            let instrument = try req.application.instruments.compiled(cycle.instrumentVersion).instrument
            let unknown = codes.filter { instrument.find($0)?.node.isIndicator != true }.sorted()
            if !unknown.isEmpty { errors["indicators"] = t.format("programme_indicator_unknown", ["codes": unknown.joined(separator: ", ")]) }
        }
        guard errors.isEmpty, let horizon, let start, let end else {
            return try await render(req, loaded, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let p = loaded.programme
        let pid = try p.requireID()
        let changes: [AuditLog.Change] = [
            .init(field: "name", before: p.title, after: title),
            .init(field: "horizon", before: p.horizon, after: horizon.rawValue),
            .init(field: "years", before: "\(p.startYear)–\(p.endYear)", after: "\(start)–\(end)"),
            .init(field: "quick_win_year", before: p.quickWinYear.map(String.init), after: quickWinYear.map(String.init)),
        ]
        p.title = title
        p.description = (form["description"] ?? "").isEmpty ? nil : form["description"]
        p.elementCode = element.isEmpty ? nil : element
        p.horizon = horizon.rawValue
        p.startYear = start
        p.endYear = end
        p.quickWinYear = quickWinYear
        p.isPublic = form["public"] == "1"
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await p.save(on: tx)
            try await ProgrammeSupport.query(on: tx).filter(\.$programme.$id == pid).delete()
            for id in supportIDs.sorted() {
                if let agency = UUID(uuidString: id), agency != p.$owner.id {
                    try await ProgrammeSupport(programmeID: pid, agencyID: agency).create(on: tx)
                }
            }
            try await ProgrammeIndicator.query(on: tx).filter(\.$programme.$id == pid).delete()
            for code in codes.sorted() { try await ProgrammeIndicator(programmeID: pid, indicatorCode: code).create(on: tx) }
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme", key: title,
                                      action: "update", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=details")
    }

    /// `POST /programmes/{id}/budgets`: one year's APBD and other-source amounts in whole Rupiah.
    @Sendable static func budget(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let t = req.t
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let year = Int(form["budget_year"] ?? "")
        if year == nil || !(loaded.programme.startYear...loaded.programme.endYear).contains(year!) {
            errors["budget_year"] = t["programme_budget_year_invalid"]
        }
        func rupiah(_ key: String) -> Int64? {
            let digits = (form[key] ?? "").replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "Rp", with: "")
                .trimmingCharacters(in: .whitespaces)
            if digits.isEmpty { return 0 }
            guard let v = Int64(digits), v >= 0 else { errors[key] = t["programme_rupiah_invalid"]; return nil }
            return v
        }
        let apbd = rupiah("apbd"), other = rupiah("other")
        guard errors.isEmpty, let year, let apbd, let other else {
            return try await render(req, loaded, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let pid = try loaded.programme.requireID()
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            let old = try await ProgrammeBudget.query(on: tx).filter(\.$programme.$id == pid).filter(\.$year == year).first()
            if let old { try await old.delete(on: tx) }
            try await ProgrammeBudget(programmeID: pid, year: year, apbd: apbd, other: other).create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: loaded.programme.title, action: "update",
                                      changes: [.init(field: "budget_\(year)", before: old.map { "\($0.apbd) + \($0.other)" },
                                                      after: "\(apbd) + \(other)")], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=budget")
    }

    /// `POST /programmes/{id}/milestones`: a new milestone.
    @Sendable static func addMilestone(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let t = req.t
        let form = try Setup.fields(req)
        var errors: [String: String] = [:]
        let title = form["milestone_title"] ?? ""
        if title.isEmpty { errors["milestone_title"] = t["setup_required"] }
        if title.count > 300 { errors["milestone_title"] = t["setup_too_long"] }
        let due = form["milestone_due"] ?? ""
        if !due.isEmpty, !CalendarDate.isValid(due) { errors["milestone_due"] = t["evidence_date_invalid"] }
        guard errors.isEmpty else {
            return try await render(req, loaded, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let pid = try loaded.programme.requireID()
        let count = try await Milestone.query(on: req.db).filter(\.$programme.$id == pid).count()
        let user = try req.requireUser()
        try await req.db.writeTransaction { tx in
            try await Milestone(programmeID: pid, position: count, title: title, dueOn: due.isEmpty ? nil : due).create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                      key: loaded.programme.title, action: "update",
                                      changes: [.init(field: "milestone", before: nil, after: title)], actor: user)
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=milestone")
    }
}

extension ProgrammeController {
    /// `POST /programmes/{id}/documents`: a programme document, streamed and checked like any
    /// evidence; it joins the owning agency's library, so it can back the programme's indicators.
    @Sendable static func addDocument(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        try req.authorize(.editProgramme, on: loaded.resource)
        let t = req.t
        let config = req.application.config
        let store = req.application.blobStore
        func refuse(_ message: String, _ status: HTTPStatus, typed: [String: String] = [:]) async throws -> Response {
            try await render(req, loaded, form: typed, errors: ["document": message]).encodeResponse(status: status, for: req)
        }
        let upload: MultipartUpload, file: MultipartUpload.File
        switch try await EvidenceController.receive(req, store: store, maxBytes: config.maxUploadBytes, t: t) {
        case let .refused(message, status, typed):
            return try await refuse(message, status, typed: typed)
        case let .received(received, receivedFile):
            (upload, file) = (received, receivedFile)
        }
        var problem: String?
        var contentType = ""
        switch FileSniffer.check(filename: file.filename, head: file.head, allowed: config.uploadTypes) {
        case let .success(type): contentType = type
        case let .failure(rejection): problem = t.format(rejection.key, rejection.values)
        }
        let (details, errors) = EvidenceController.details(upload.fields, levels: [], t: t,
                                                           fallbackTitle: (file.filename as NSString).deletingPathExtension)
        if problem == nil { problem = errors.values.sorted().first }
        if let problem {
            store.discard(stagedFile: file.temporaryPath)
            return try await refuse(problem, .unprocessableEntity, typed: upload.fields)
        }
        let isNew = try await store.put(stagedFile: file.temporaryPath, sha256: file.sha256)
        let user = try req.requireUser()
        let pid = try loaded.programme.requireID()
        let storedType = contentType
        do {
            try await req.db.writeTransaction { tx in
                let evidence = try await EvidenceController.create(
                    on: tx, regionID: loaded.region.requireID(), agencyID: loaded.programme.$owner.id, details: details, kind: "file",
                    url: nil, file: file, contentType: storedType, userID: user.requireID(), now: req.now)
                try await ProgrammeDocument(programmeID: pid, evidenceID: evidence.requireID()).create(on: tx)
                try await AuditLog.record(at: req.now, on: tx, regionID: loaded.region.requireID(), cycleID: nil, entity: "programme",
                                          key: loaded.programme.title, action: "evidence",
                                          changes: [.init(field: "evidence", before: nil, after: "\(details.title) — \(file.filename)")],
                                          actor: user)
            }
        } catch {
            if isNew { try? await store.remove(sha256: file.sha256) }
            throw error
        }
        return req.redirect(to: SiteURL.programme(id: pid).path + "?saved=document")
    }
}
