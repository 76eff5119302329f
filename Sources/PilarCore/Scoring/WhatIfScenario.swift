import Foundation

/// A what-if scenario: levels typed over a layer's values. Each change names an indicator and a
/// level on the instrument's scale (`3` or `3,5`), `na` (only where the indicator allows N/A) or `-`
/// (no value); an empty change keeps the layer's value.
public enum WhatIfScenario {
    /// Why a scenario is refused; `key` is the catalogue key, `values` its placeholders.
    public enum Refusal: Error, Equatable, Sendable {
        case unknownIndicator(code: String)
        case notApplicableNotAllowed(code: String)
        case invalidLevel(code: String, value: String)

        public var key: String {
            switch self {
            case .unknownIndicator: "whatif_unknown_indicator"
            case .notApplicableNotAllowed: "whatif_na_not_allowed"
            case .invalidLevel: "whatif_level_invalid"
            }
        }

        public var values: [String: String] {
            switch self {
            case let .unknownIndicator(code), let .notApplicableNotAllowed(code): ["code": code]
            case let .invalidLevel(code, value): ["code": code, "value": value]
            }
        }
    }

    /// `base` (one value per indicator slot) with `changes` (level text by indicator code) applied;
    /// the first refused change in code order fails the whole scenario.
    public static func apply(_ compiled: CompiledInstrument, base: [LevelValue],
                             changes: [String: String]) -> Result<[LevelValue], Refusal> {
        let instrument = compiled.instrument
        let naAllowed = Set(instrument.indicators.filter(\.naAllowed).map(\.code))
        var after = base
        for code in changes.keys.sorted() {
            let text = changes[code, default: ""].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let slot = compiled.slot(of: code) else { return .failure(.unknownIndicator(code: code)) }
            switch text {
            case "na":
                guard naAllowed.contains(code) else {
                    return .failure(.notApplicableNotAllowed(code: code))
                }
                after[slot] = .notApplicable
            case "-":
                after[slot] = .missing
            default:
                guard let v = Double(text.replacingOccurrences(of: ",", with: ".")), instrument.scale.contains(v) else {
                    return .failure(.invalidLevel(code: code, value: text))
                }
                after[slot] = .score(v)
            }
        }
        return .success(after)
    }
}
