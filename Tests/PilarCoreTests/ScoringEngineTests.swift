import Testing
@testable import PilarCore

@Suite("Scoring engine against hand-computed cases")
struct ScoringEngineTests {
    let small = CompiledInstrument(Fixtures.small)

    @Test func weightedAverageWithNARenormalisation() {
        // given a1=2, a2=4 (A = (1·2+3·4)/4 = 3.5) and b1=3, b2=N/A (B = 3, b2 left out)
        let report = ScoreReport(small, values: small.values(from: [
            "a1": .score(2), "a2": .score(4), "b1": .score(3), "b2": .notApplicable,
        ]), target: 3.4)
        // then index = (60·3.5 + 40·3)/100 = 3.3, fully covered
        #expect(report.index == 3.3)
        #expect(report.display == "3.30")
        #expect(report.coverage == 1.0)
        #expect(report.predicate == "High")
        #expect(report.notApplicable == ["b2"])
        #expect(report.missing.isEmpty)
        #expect(report.groups.map(\.score) == [3.5, 3.0])
        #expect(abs(report.gap! - 0.1) < 1e-12)
        #expect(report.gapDisplay == "0.10")
    }

    @Test func missingIndicatorsLowerCoverageAndAreNotZero() {
        // given b1 unscored and b2 N/A: group B has nothing scored
        let report = ScoreReport(small, values: small.values(from: [
            "a1": .score(2), "a2": .score(4), "b2": .notApplicable,
        ]))
        // then the index is A's score alone (not pulled down by a zero) and coverage is A's share
        #expect(report.index == 3.5)
        #expect(abs(report.coverage - 0.6) < 1e-12)
        #expect(report.missing == ["b1"])
        #expect(report.groups[1].score == nil)
        #expect(report.groups[1].coverage == 0)
        #expect(report.scored == 2)
    }

    @Test func wholeGroupNotApplicableRenormalisesTopLevel() {
        // given every indicator of B is N/A
        let result = ScoringEngine.score(small, byCode: [
            "a1": .score(1), "a2": .score(5), "b1": .notApplicable, "b2": .notApplicable,
        ])
        // then A carries the whole index: (1 + 15)/4 = 4
        #expect(result.index == 4)
        #expect(result.coverage == 1)
        #expect(result.applicable[small.roots[1]] == false)
        #expect(result.effectiveWeight[small.roots[0]] == 1)
    }

    @Test func nothingScoredHasNoIndex() {
        let report = ScoreReport(small, values: small.values(from: [:]))
        #expect(report.index == nil)
        #expect(report.display == nil)
        #expect(report.predicate == nil)
        #expect(report.coverage == 0)
        #expect(report.missing == ["a1", "a2", "b1", "b2"])
    }

    @Test func decimalScoresAreKept() {
        let result = ScoringEngine.score(small, byCode: [
            "a1": .score(3.21), "a2": .score(3.21), "b1": .score(2.5), "b2": .score(3.5),
        ])
        // A = 3.21, B = 3.0 → 0.6·3.21 + 0.4·3 = 3.126
        #expect(abs(result.index! - 3.126) < 1e-12)
    }

    @Test func pillarScoresUseEffectiveWeights() {
        // governance: a1 (eff 0.15) and a2 (eff 0.45) inherit the tag from group A
        // economy: b1 (eff 0.2) = 2, b2 (eff 0.2) = 5 → 3.5
        let report = ScoreReport(small, values: small.values(from: [
            "a1": .score(1), "a2": .score(5), "b1": .score(2), "b2": .score(5),
        ]))
        let governance = report.pillars.first { $0.code == "governance" }!
        let economy = report.pillars.first { $0.code == "economy" }!
        #expect(governance.score == 4) // (0.15·1 + 0.45·5)/0.6
        #expect(abs(governance.weight - 0.6) < 1e-12)
        #expect(abs(economy.score! - 3.5) < 1e-12)
        #expect(report.pillars.map(\.code) == ["governance", "economy"])
    }

    @Test func modelInstrumentPillarScore() throws {
        // given the model instrument, governance answered in Outcome (eff 0.05), Impact and Quick Win (eff 0.2/6 each)
        let compiled = CompiledInstrument(try Fixtures.shipped("model-smart-city-2021"))
        let report = ScoreReport(compiled, values: compiled.values(from: [
            "OC.GOV": .score(4), "IM.GOV": .score(2), "QW.GOV": .score(2),
        ]))
        // then governance = (0.05·4 + 0.2/6·2 + 0.2/6·2)/(0.05 + 0.4/6) = 2.857142…
        let governance = report.pillars.first { $0.code == "governance" }!
        #expect(abs(governance.score! - 20.0 / 7.0) < 1e-12)
        #expect(governance.display == "2.86")
        // and the index is the average of the three dimensions that have a score
        #expect(abs(report.index! - (30 * 4 + 20 * 2 + 20 * 2) / 70.0) < 1e-12)
        #expect(report.missing.count == compiled.indicatorCodes.count - 3)
        #expect(abs(report.coverage - (0.05 + 0.4 / 6)) < 1e-12)
    }

    @Test func groupTargetsGiveGaps() {
        let report = ScoreReport(small, values: small.values(from: [
            "a1": .score(3), "a2": .score(3), "b1": .score(2), "b2": .score(2),
        ]), target: 3, groupTargets: ["A": 3.5])
        #expect(report.groups[0].target == 3.5)
        #expect(report.groups[0].gap == 0.5)
        #expect(report.groups[1].gap == nil)
        #expect(abs(report.gap! - 0.4) < 1e-12)
    }
}
