import Fluent
import Foundation
import PilarCore
import Vapor

/// `GET/POST /cycles/{year}/official` (and `/official`, the current cycle's): the official scores
/// from the ministry's result letter, recorded by the assessor or by the coordinator from the
/// letter. An empty field clears the score. Publishing is `OfficialPublishController`.
enum OfficialController {
    struct Query: Content {
        var saved: String?
        var published: String?
    }

    static func load(_ req: Request) async throws -> CycleData {
        try req.authorize(.recordOfficial)
        let region = try await req.currentRegion()
        guard let year = req.parameters.get("year", as: Int.self),
              let data = try await CycleData.load(region: region, year: year, on: req.db, library: req.application.instruments)
        else { throw Abort(.notFound) }
        return data
    }

    /// `/official`: the current cycle's page.
    @Sendable static func current(_ req: Request) async throws -> Response {
        try req.authorize(.recordOfficial)
        let region = try await req.currentRegion()
        guard let cycle = try await CycleData.current(region: region, on: req.db) else { throw Abort(.notFound) }
        return req.redirect(to: SiteURL.official(year: cycle.year).path)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let data = try await load(req)
        let query = try? req.query.decode(Query.self)
        var saved = query?.saved == "1" ? req.t["official_saved"] : nil
        if let published = query?.published {
            saved = req.t[published == "1" ? "official_published" : "official_unpublished"]
        }
        return try await req.view.render("official", try OfficialPage.build(req, data: data, values: OfficialLetter.stored(data),
                                                                           saved: saved))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let data = try await load(req)
        let t = req.t
        let form = try req.content.decode(NamedFields.self)
        let instrument = data.compiled.instrument
        let range = instrument.scale.min...instrument.scale.max
        let names = OfficialLetter.fieldNames(instrument)
        var checks = FieldErrors()
        var errors: [String: String] = [:]
        var parsed: [String: Double?] = [:]
        for name in names {
            let value = checks.number(name, form[name])
            if let value, !range.contains(value) {
                errors[name] = t.format("official_out_of_range", ["min": InstrumentText.level(range.lowerBound),
                                                                 "max": InstrumentText.level(range.upperBound)])
            }
            parsed[name] = value
        }
        errors.merge(checks.messages(t)) { mine, _ in mine }
        let unknown = form.names.filter { !names.contains($0) && OfficialLetter.isLetterField($0) }
        if let first = unknown.sorted().first { errors["index"] = t.format("official_unknown_field", ["field": first]) }
        guard errors.isEmpty else {
            return try await req.view.render("official", try OfficialPage.build(req, data: data, values: form.values, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let cycleID = try data.cycle.requireID()
        let regionID = try data.region.requireID()
        let before = OfficialLetter.stored(data)
        let values = parsed
        try await req.writeTransaction { tx in
            var changes: [AuditLog.Change] = []
            for name in names {
                let value = values[name] ?? nil
                let old = before[name]
                guard AuditLog.text(value) != old else { continue }
                changes.append(.init(field: name, before: old, after: AuditLog.text(value)))
                if name.hasPrefix("indicator_") {
                    let code = String(name.dropFirst("indicator_".count))
                    let stored = data.assessments[code]
                    let id = if let stored { stored.id } else { try await Assessment.ensure(cycleID: cycleID, code: code, at: req.now, on: tx).requireID() }
                    try await Assessment.query(on: tx).filter(\.$id == id).set(\.$officialScore, to: value).update()
                } else {
                    let (scope, code): (OfficialResult.Scope, String) = name == "index" ? (.index, "")
                        : name.hasPrefix("group_") ? (.group, String(name.dropFirst(6))) : (.pillar, String(name.dropFirst(7)))
                    try await OfficialResult.query(on: tx).filter(\.$cycle.$id == cycleID)
                        .filter(\.$scope == scope).filter(\.$scopeCode == code).delete()
                    if let value { try await OfficialResult(cycleID: cycleID, scope: scope, scopeCode: code, score: value).create(on: tx) }
                }
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: cycleID, entity: "official",
                                      key: String(data.cycle.year), action: "official", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.official(year: data.cycle.year).path(query: ["saved": "1"]))
    }
}
