import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/whatif`: any indicator's level changed (or marked N/A) on top of a layer, and the
/// index, the dimensions and the pillars before and after.
enum WhatIfPage {
    struct Row: Encodable {
        var code: String
        var title: String
        var group: String
        var base: String
        var options: [Setup.Option]
        var changed: Bool
    }

    struct Compare: Encodable {
        var code: String
        var title: String
        var before: String
        var after: String
        var delta: String
        var direction: String
    }

    struct Context: Encodable {
        var page: PageChrome
        var year: Int
        var layers: [Setup.Option]
        var base: String
        var index: Compare
        var predicateBefore: String?
        var predicateAfter: String?
        var target: String?
        var reached: Bool
        var groups: [Compare]
        var pillars: [Compare]
        var rows: [Row]
        var changes: Int
        /// The form's target, and the link back to the layer without changes.
        var action: String
        var resetHref: String
    }

    /// The scenario `changes` (level text by indicator code) over the layer `base`; a refused change
    /// is a 400 with its message.
    static func build(_ req: Request, data: CycleData, base: ScoreLayer, changes: [String: String]) throws -> Context {
        let t = req.t, lang = req.language
        let year = data.cycle.year
        let compiled = data.compiled
        let instrument = compiled.instrument
        let levels = instrument.scale.wholeLevels
        // Looked up per row below: one set, not a search of the tree per indicator.
        let naAllowed = Set(instrument.indicators.filter(\.naAllowed).map(\.code))
        let before = data.values(base)
        let after: [LevelValue]
        switch WhatIfScenario.apply(compiled, base: before, changes: changes) {
        case let .success(values): after = values
        case let .failure(refusal): throw Abort(.badRequest, reason: t.format(refusal.key, refusal.values))
        }
        let changed = zip(before, after).filter { $0 != $1 }.count
        let reportBefore = ScoreReport(compiled, values: before, layer: base.rawValue, target: data.cycle.targetIndex,
                                       groupTargets: data.groupTargets)
        let reportAfter = ScoreReport(compiled, values: after, layer: base.rawValue, target: data.cycle.targetIndex,
                                      groupTargets: data.groupTargets)
        let rule = instrument.rounding
        func compare(code: String, title: String, _ a: Double?, _ b: Double?) -> Compare {
            var delta = "", direction = ""
            if let a, let b {
                let d = Rounding.snap(b - a)
                if abs(d) >= 0.0005 {
                    direction = d > 0 ? "up" : "down"
                    delta = (d > 0 ? "+" : "−") + Format.decimal(String(format: "%.3f", abs(d)), lang)
                }
            } else if a != b {
                direction = b == nil ? "down" : "up"
            }
            return Compare(code: code, title: title, before: Format.decimal(a.map { rule.display($0) }, lang),
                           after: Format.decimal(b.map { rule.display($0) }, lang), delta: delta, direction: direction)
        }
        let groups = instrument.groups.indices.map { i in
            compare(code: instrument.groups[i].code, title: instrument.groups[i].title,
                    reportBefore.groups[i].score, reportAfter.groups[i].score)
        }
        let pillars = compiled.pillarCodes.indices.map { k in
            compare(code: compiled.pillarCodes[k],
                    title: SmartCityPillar.named(compiled.pillarCodes[k]).map { lang == .id ? $0.nameID : $0.nameEN } ?? compiled.pillarCodes[k],
                    reportBefore.pillars[k].score, reportAfter.pillars[k].score)
        }
        func text(_ v: LevelValue) -> String {
            switch v {
            case .missing: return "–"
            case .notApplicable: return t["whatif_na"]
            case let .score(s): return Format.number(s, lang)
            }
        }
        func key(_ v: LevelValue) -> String {
            switch v {
            case .missing: return "-"
            case .notApplicable: return "na"
            case let .score(s): return InstrumentText.level(s)
            }
        }
        var rows: [Row] = []
        for group in instrument.groups {
            for code in indicatorCodes(group) {
                guard let slot = compiled.slot(of: code) else { continue }
                let chosen = after[slot] == before[slot] ? "" : key(after[slot])
                var options = [Setup.Option(value: "", label: t.format("whatif_keep", ["value": text(before[slot])]), selected: chosen.isEmpty)]
                options += levels.map { Setup.Option(value: String($0), label: String($0), selected: chosen == String($0)) }
                if naAllowed.contains(code) { options.append(Setup.Option(value: "na", label: t["whatif_na"], selected: chosen == "na")) }
                options.append(Setup.Option(value: "-", label: t["whatif_no_value"], selected: chosen == "-"))
                if !chosen.isEmpty, !options.contains(where: \.selected) {
                    options.append(Setup.Option(value: chosen, label: chosen, selected: true))
                }
                rows.append(Row(code: code, title: compiled.titles[compiled.indicatorNodes[slot]], group: group.code,
                                base: text(before[slot]), options: options, changed: !chosen.isEmpty))
            }
        }
        return Context(
            page: PageChrome(request: req, title: t["whatif_title"]), year: year,
            layers: ScoreLayer.allCases.map { Setup.Option(value: $0.rawValue, label: t["layer_\($0.rawValue)"], selected: $0 == base) },
            base: base.rawValue, index: compare(code: "", title: t["whatif_index"], reportBefore.index, reportAfter.index),
            predicateBefore: reportBefore.predicate, predicateAfter: reportAfter.predicate,
            target: data.cycle.targetIndex.map { Format.decimal(rule.display($0), lang) },
            reached: reportAfter.index.flatMap { i in data.cycle.targetIndex.map { Rounding.snap(i - $0) >= 0 } } ?? false,
            groups: groups, pillars: pillars, rows: rows, changes: changed,
            action: SiteURL.whatIf(year: year).path, resetHref: SiteURL.whatIf(year: year).path(query: ["base": base.rawValue]))
    }

    static func indicatorCodes(_ node: InstrumentNode) -> [String] {
        node.isIndicator ? [node.code] : node.children.flatMap(indicatorCodes)
    }
}
