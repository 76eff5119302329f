import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/plan`: the steps that close the gap to the target, cheapest first, per agency,
/// with the form that turns them into action items and the effort of each indicator's level step.
enum PlanPage {
    struct StepRow: Encodable {
        var code: String
        var title: String
        var href: String
        var from: String
        var to: Int
        var gain: String
        var effort: Int
        var agency: String?
    }

    struct AgencyRow: Encodable {
        var code: String
        var name: String
        var steps: Int
        var effort: Int
    }

    struct EffortRow: Encodable {
        var code: String
        var title: String
        var effort: Int
    }

    struct Context: Encodable {
        var page: PageChrome
        var year: Int
        var layers: [Setup.Option]
        var layer: String
        var target: String
        var before: String
        var after: String
        var effort: Int
        var reaches: Bool
        var alreadyThere: Bool
        var steps: [StepRow]
        var agencies: [AgencyRow]
        var unscored: Int
        var canCreate: Bool
        var canSetEffort: Bool
        var efforts: [EffortRow]
        var maxEffort: Int
        var message: String?
        var error: String?
        var due: String
        /// Where the layer-and-target form, the steps form and the efforts form go.
        var action: String
        var actionsAction: String
        var effortsAction: String
    }

    static func build(_ req: Request, record c: PlanRecord, message: String? = nil, error: String? = nil,
                      due: String = "") throws -> Context {
        let t = req.t, lang = req.language
        let rule = c.data.compiled.instrument.rounding
        let actor = try req.actor()
        let year = c.data.cycle.year
        func fmt(_ v: Double?) -> String { Format.decimal(v.map { rule.display($0) }, lang) }
        let steps = c.plan.steps.map { s in
            StepRow(code: s.code, title: c.title(s), href: SiteURL.indicator(year: year, code: s.code).path,
                    from: Format.number(s.from, lang), to: s.to, gain: Format.decimal(String(format: "%.3f", s.gain), lang),
                    effort: s.effort, agency: c.agencies[s.code]?.code)
        }
        var byAgency: [String: AgencyRow] = [:]
        for s in c.plan.steps {
            let a = c.agencies[s.code]
            let key = a?.code ?? "–"
            var row = byAgency[key] ?? AgencyRow(code: key, name: a?.name ?? t["plan_no_agency"], steps: 0, effort: 0)
            row.steps += 1
            row.effort += s.effort
            byAgency[key] = row
        }
        let efforts = c.data.compiled.indicatorCodes.enumerated().map { i, code in
            EffortRow(code: code, title: c.data.compiled.titles[c.data.compiled.indicatorNodes[i]], effort: c.efforts[i])
        }
        return Context(
            page: PageChrome(request: req, title: t["plan_title"]), year: year,
            layers: ScoreLayer.allCases.filter { $0 != .target }.map {
                Setup.Option(value: $0.rawValue, label: t["layer_\($0.rawValue)"], selected: $0 == c.layer)
            },
            layer: c.layer.rawValue, target: Format.number(c.target, lang), before: fmt(c.plan.indexBefore),
            after: fmt(c.plan.indexAfter), effort: c.plan.effort, reaches: c.plan.reachesTarget,
            alreadyThere: c.plan.reachesTarget && c.plan.steps.isEmpty, steps: steps,
            agencies: byAgency.values.sorted { ($1.effort, $0.code) < ($0.effort, $1.code) },
            unscored: c.plan.unscored.count, canCreate: AccessPolicy.allows(actor, .manageActions),
            canSetEffort: AccessPolicy.allows(actor, .manageCycles), efforts: efforts, maxEffort: PlanRecord.maxEffort,
            message: message, error: error, due: due, action: SiteURL.plan(year: year).path,
            actionsAction: SiteURL.planActions(year: year).path, effortsAction: SiteURL.planEfforts(year: year).path)
    }
}
