import Testing
@testable import PilarCore

@Suite("A what-if scenario over a layer's values")
struct WhatIfScenarioTests {
    let compiled = CompiledInstrument(Fixtures.small)
    let base: [LevelValue] = [.score(2), .score(3), .score(3), .score(2)]

    @Test func levelsNotApplicableAndNoValueReplaceTheLayersValues() {
        // given a1 raised to 4,5, b2 marked N/A and b1 cleared; a2 left empty
        let changes = ["a1": " 4,5 ", "a2": "", "b1": "-", "b2": "na"]
        // when
        let after = WhatIfScenario.apply(compiled, base: base, changes: changes)
        // then
        #expect(after == .success([.score(4.5), .score(3), .missing, .notApplicable]))
    }

    @Test func noChangesKeepTheLayer() {
        // given / when
        let after = WhatIfScenario.apply(compiled, base: base, changes: [:])
        // then
        #expect(after == .success(base))
    }

    @Test func anUnknownIndicatorIsRefused() {
        // given / when
        let after = WhatIfScenario.apply(compiled, base: base, changes: ["zz": "3"])
        // then
        #expect(after == .failure(.unknownIndicator(code: "zz")))
        #expect(WhatIfScenario.Refusal.unknownIndicator(code: "zz").key == "whatif_unknown_indicator")
    }

    @Test func notApplicableOnlyWhereTheIndicatorAllowsIt() {
        // given / when
        let after = WhatIfScenario.apply(compiled, base: base, changes: ["a1": "na"])
        // then
        #expect(after == .failure(.notApplicableNotAllowed(code: "a1")))
        #expect(WhatIfScenario.Refusal.notApplicableNotAllowed(code: "a1").key == "whatif_na_not_allowed")
    }

    @Test func aLevelOffTheScaleOrNotANumberIsRefused() {
        // given / when / then
        #expect(WhatIfScenario.apply(compiled, base: base, changes: ["a1": "6"]) == .failure(.invalidLevel(code: "a1", value: "6")))
        #expect(WhatIfScenario.apply(compiled, base: base, changes: ["a1": "0,5"]) == .failure(.invalidLevel(code: "a1", value: "0,5")))
        let refusal = WhatIfScenario.Refusal.invalidLevel(code: "a1", value: "x")
        #expect(WhatIfScenario.apply(compiled, base: base, changes: ["a1": "x"]) == .failure(refusal))
        #expect(refusal.key == "whatif_level_invalid")
        #expect(refusal.values == ["code": "a1", "value": "x"])
    }
}
