import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/official`: the official scores from the ministry's result letter — the index,
/// each top-level group, each pillar and each indicator — recorded by the assessor or by the
/// coordinator from the letter. An empty field clears the score.
enum OfficialController {
    struct Field: Encodable {
        var name: String
        var code: String
        var label: String
        var value: String
        var verified: String?
        var error: String?
    }

    struct Page: Encodable {
        var page: PageChrome
        var year: Int
        var index: Field
        var groups: [Field]
        var pillars: [Field]
        var indicators: [Field]
        var showVerified: Bool
        var hasErrors: Bool
        var saved: String?
        var action: String
        var scale: String
        /// The coordinator publishes the official index on the public page.
        var canPublish: Bool
        var isPublic: Bool
        var publishAction: String
        var publicURL: String
    }

    static func load(_ req: Request) async throws -> CycleData {
        try req.authorize(.recordOfficial)
        let region = try await req.currentRegion()
        guard let year = req.parameters.get("year", as: Int.self),
              let data = try await CycleData.load(region: region, year: year, on: req.db, library: req.application.instruments)
        else { throw Abort(.notFound) }
        return data
    }

    /// The stored scores as form values, by field name.
    static func stored(_ data: CycleData) -> [String: String] {
        var values: [String: String] = [:]
        for r in data.officialResults {
            let name = r.scope == OfficialResult.Scope.index.rawValue ? "index" : "\(r.scope)_\(r.scopeCode)"
            values[name] = InstrumentText.level(r.score)
        }
        for (code, a) in data.assessments { if let s = a.officialScore { values["indicator_\(code)"] = InstrumentText.level(s) } }
        return values
    }

    static func pillarCodes(_ instrument: Instrument) -> [SmartCityPillar] {
        let used = Set(instrument.indicatorPaths.compactMap { Instrument.pillar(of: $0.node, ancestors: $0.ancestors) })
        return SmartCityPillar.all.filter { used.contains($0.code) }
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
        var saved = (try? req.query.get(String.self, at: "saved")) == "1" ? req.t["official_saved"] : nil
        if let published = try? req.query.get(String.self, at: "published") {
            saved = req.t[published == "1" ? "official_published" : "official_unpublished"]
        }
        return try await render(req, data: data, values: stored(data), saved: saved)
    }

    static func render(_ req: Request, data: CycleData, values: [String: String], errors: [String: String] = [:],
                       saved: String? = nil) async throws -> View {
        let t = req.t, lang = req.language
        let actor = try req.actor()
        let showVerified = AccessPolicy.allows(actor, .verify)
        let instrument = data.compiled.instrument
        /// `verified` is already rounded the instrument's way (the report's display text).
        func field(_ name: String, _ code: String, _ label: String, verified: String? = nil) -> Field {
            Field(name: name, code: code, label: label, value: values[name].map { Format.decimal($0, lang) } ?? "",
                  verified: showVerified ? verified.map { Format.decimal($0, lang) } : nil, error: errors[name])
        }
        let verified = showVerified ? data.report(.verified) : nil
        let page = Page(
            page: PageChrome(request: req, title: "\(t["official_title"]) \(data.cycle.year)"), year: data.cycle.year,
            index: field("index", "", t["official_index"], verified: verified?.display),
            groups: instrument.groups.map { g in
                field("group_\(g.code)", g.code, g.title, verified: verified?.groups.first { $0.code == g.code }?.display)
            },
            pillars: pillarCodes(instrument).map { p in
                field("pillar_\(p.code)", p.code, lang == .id ? p.nameID : p.nameEN,
                      verified: verified?.pillars.first { $0.code == p.code }?.display)
            },
            indicators: instrument.indicators.map { n in
                field("indicator_\(n.code)", n.code, n.title, verified: data.assessments[n.code]?.verifiedLevel.map(InstrumentText.level))
            },
            showVerified: showVerified, hasErrors: !errors.isEmpty, saved: saved,
            action: SiteURL.official(year: data.cycle.year).path,
            scale: "\(InstrumentText.level(instrument.scale.min))–\(InstrumentText.level(instrument.scale.max))",
            canPublish: AccessPolicy.allows(actor, .manageCycles), isPublic: data.cycle.officialPublic ?? false,
            publishAction: SiteURL.officialPublish(year: data.cycle.year).path,
            publicURL: SiteURL.publicPage(region: data.region.code).path)
        return try await req.view.render("official", page)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let data = try await load(req)
        let t = req.t
        let form = try Setup.fields(req)
        let instrument = data.compiled.instrument
        let range = instrument.scale.min...instrument.scale.max
        var names = ["index"] + instrument.groups.map { "group_\($0.code)" } + pillarCodes(instrument).map { "pillar_\($0.code)" }
        names += instrument.indicators.map { "indicator_\($0.code)" }
        var errors: [String: String] = [:]
        var parsed: [String: Double?] = [:]
        for name in names {
            switch Setup.number(form[name]) {
            case let .success(value):
                if let value, !range.contains(value) {
                    errors[name] = t.format("official_out_of_range", ["min": InstrumentText.level(range.lowerBound),
                                                                     "max": InstrumentText.level(range.upperBound)])
                }
                parsed[name] = value
            case .failure:
                errors[name] = t["setup_number_invalid"]
            }
        }
        let unknown = form.keys.filter { !names.contains($0) && ($0.hasPrefix("indicator_") || $0.hasPrefix("group_") || $0.hasPrefix("pillar_")) }
        if let first = unknown.sorted().first { errors["index"] = t.format("official_unknown_field", ["field": first]) }
        guard errors.isEmpty else {
            return try await render(req, data: data, values: form, errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try req.requireUser()
        let cycleID = try data.cycle.requireID()
        let regionID = try data.region.requireID()
        let before = stored(data)
        let (fieldNames, values) = (names, parsed)
        try await req.db.writeTransaction { tx in
            var changes: [AuditLog.Change] = []
            for name in fieldNames {
                let value = values[name] ?? nil
                let old = before[name]
                guard AuditLog.text(value) != old else { continue }
                changes.append(.init(field: name, before: old, after: AuditLog.text(value)))
                if name.hasPrefix("indicator_") {
                    let code = String(name.dropFirst("indicator_".count))
                    let stored = data.assessments[code]
                    let row = if let stored { stored } else { try await Assessment.ensure(cycleID: cycleID, code: code, at: req.now, on: tx) }
                    let id = try row.requireID()
                    try await Assessment.query(on: tx).filter(\.$id == id).set(\.$officialScore, to: value).update()
                } else {
                    let (scope, code): (OfficialResult.Scope, String) = name == "index" ? (.index, "")
                        : name.hasPrefix("group_") ? (.group, String(name.dropFirst(6))) : (.pillar, String(name.dropFirst(7)))
                    try await OfficialResult.query(on: tx).filter(\.$cycle.$id == cycleID)
                        .filter(\.$scope == scope.rawValue).filter(\.$scopeCode == code).delete()
                    if let value { try await OfficialResult(cycleID: cycleID, scope: scope, scopeCode: code, score: value).create(on: tx) }
                }
            }
            try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: cycleID, entity: "official",
                                      key: String(data.cycle.year), action: "official", changes: changes, actor: user)
        }
        return req.redirect(to: SiteURL.official(year: data.cycle.year).path + "?saved=1")
    }
}
