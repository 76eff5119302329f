import Foundation
import PilarCore

/// The ministry's result letter of a cycle as the official page's fields: `index`, `group_CODE` per
/// top-level group, `pillar_CODE` per pillar the instrument uses and `indicator_CODE` per indicator.
enum OfficialLetter {
    /// The smart-city pillars the instrument's indicators belong to, in the pillars' order.
    static func pillars(_ instrument: Instrument) -> [SmartCityPillar] {
        let used = Set(instrument.indicatorPaths.compactMap { Instrument.pillar(of: $0.node, ancestors: $0.ancestors) })
        return SmartCityPillar.all.filter { used.contains($0.code) }
    }

    /// Every field of the letter, in the page's order.
    static func fieldNames(_ instrument: Instrument) -> [String] {
        ["index"] + instrument.groups.map { "group_\($0.code)" } + pillars(instrument).map { "pillar_\($0.code)" }
            + instrument.indicators.map { "indicator_\($0.code)" }
    }

    /// Whether `name` looks like a field of some letter (an unknown one is refused, not ignored).
    static func isLetterField(_ name: String) -> Bool {
        name.hasPrefix("indicator_") || name.hasPrefix("group_") || name.hasPrefix("pillar_")
    }

    /// The stored scores as form values, by field name.
    static func stored(_ data: CycleData) -> [String: String] {
        var values: [String: String] = [:]
        for r in data.officialResults {
            let name = r.scope == .index ? "index" : "\(r.scope.rawValue)_\(r.scopeCode)"
            values[name] = InstrumentText.level(r.score)
        }
        for (code, a) in data.assessments { if let s = a.officialScore { values["indicator_\(code)"] = InstrumentText.level(s) } }
        return values
    }
}
