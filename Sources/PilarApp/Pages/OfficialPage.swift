import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/official`: the official scores from the ministry's result letter — the index,
/// each top-level group, each pillar and each indicator — beside the verified ones for those who
/// verify, and for the coordinator the switch that shows the official index on the public page.
enum OfficialPage {
    struct Field: Encodable {
        var name: String
        var code: String
        var label: String
        var value: String
        var verified: String?
        var error: String?
    }

    struct Context: Encodable {
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

    /// - Parameters:
    ///   - values: the fields' values by name (the stored scores, or what was typed when refused).
    ///   - errors: messages by field name.
    static func build(_ req: Request, data: CycleData, values: [String: String], errors: [String: String] = [:],
                      saved: String? = nil) throws -> Context {
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
        return Context(
            page: PageChrome(request: req, title: "\(t["official_title"]) \(data.cycle.year)"), year: data.cycle.year,
            index: field("index", "", t["official_index"], verified: verified?.display),
            groups: instrument.groups.map { g in
                field("group_\(g.code)", g.code, g.title, verified: verified?.groups.first { $0.code == g.code }?.display)
            },
            pillars: OfficialLetter.pillars(instrument).map { p in
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
    }
}
