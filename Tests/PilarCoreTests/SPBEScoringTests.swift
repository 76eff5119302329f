import Testing
@testable import PilarCore

@Suite("SPBE 2020: index = Σ(weight × level)/100 and predicate edges")
struct SPBEScoringTests {
    let spbe: CompiledInstrument

    init() throws {
        spbe = CompiledInstrument(try Fixtures.shipped("spbe-2020"))
    }

    /// Levels for indicators 1…47, `base` everywhere except `raised` (indicator numbers) at `to`.
    func levels(base: Double, raised: [ClosedRange<Int>] = [], to level: Double = 0) -> [String: LevelValue] {
        var values: [String: LevelValue] = [:]
        for i in 1...47 {
            let up = raised.contains { $0.contains(i) }
            values[String(format: "I%02d", i)] = .score(up ? level : base)
        }
        return values
    }

    func report(_ values: [String: LevelValue]) -> ScoreReport {
        ScoreReport(spbe, values: spbe.values(from: values))
    }

    @Test func structure() {
        #expect(spbe.indicatorCodes.count == 47)
        #expect(spbe.instrument.groups.map(\.weight) == [13, 25, 16.5, 45.5])
        #expect(spbe.instrument.allGroups.count == 12)
    }

    @Test func uniformLevelsGiveThatLevel() {
        let r = report(levels(base: 3))
        #expect(r.display == "3.00")
        #expect(r.predicate == "Baik")
        #expect(r.coverage == 1)
    }

    @Test func sangatBaikStartsAtExactly3_5() {
        // Layanan (45.5) and Audit TIK (3 × 1.5) at 4, the rest at 3: 3 + 50/100 = 3.5
        let r = report(levels(base: 3, raised: [29...31, 32...47], to: 4))
        #expect(abs(r.index! - 3.5) < 1e-12)
        #expect(r.display == "3.50")
        #expect(r.predicate == "Sangat Baik")
        // one audit indicator back at 3: 3 + 48.5/100 = 3.485 → "3.49", still Baik
        let below = report(levels(base: 3, raised: [29...30, 32...47], to: 4))
        #expect(below.display == "3.49")
        #expect(below.predicate == "Baik")
    }

    @Test func memuaskanStartsAtExactly4_2() {
        // Perencanaan Strategis and TIK (8 × 2.5 = 20) at 5, the rest at 4: 4 + 20/100 = 4.2
        let r = report(levels(base: 4, raised: [11...18], to: 5))
        #expect(r.display == "4.20")
        #expect(r.predicate == "Memuaskan")
        let below = report(levels(base: 4, raised: [11...17], to: 5))
        #expect(below.display == "4.18") // 4 + 17.5/100 = 4.175 → half-up
        #expect(below.predicate == "Sangat Baik")
    }

    @Test func baikAndCukupEdges() {
        // weight 40 (Tata Kelola 25 + Penerapan Manajemen 12 + two audits 3) two levels up from 1: 1.8
        let cukup = report(levels(base: 1, raised: [11...30], to: 3))
        #expect(cukup.display == "1.80")
        #expect(cukup.predicate == "Cukup")
        // the same weight four levels up: 2.6
        let baik = report(levels(base: 1, raised: [11...30], to: 5))
        #expect(baik.display == "2.60")
        #expect(baik.predicate == "Baik")
        // all at level 1: Kurang
        #expect(report(levels(base: 1)).predicate == "Kurang")
        #expect(report(levels(base: 5)).predicate == "Memuaskan")
    }

    @Test func flatFormulaMatchesTree() {
        // given arbitrary levels, the tree's index equals the regulation's flat formula
        var values: [String: LevelValue] = [:]
        var flat = 0.0
        let weights: [Double] = Array(repeating: 1.3, count: 10) + Array(repeating: 2.5, count: 10)
            + Array(repeating: 1.5, count: 11) + Array(repeating: 2.75, count: 10) + Array(repeating: 3.0, count: 6)
        for i in 1...47 {
            let level = Double((i * 7) % 5 + 1)
            values[String(format: "I%02d", i)] = .score(level)
            flat += weights[i - 1] * level
        }
        let r = report(values)
        #expect(abs(r.index! - flat / 100) < 1e-12)
    }

    @Test func serviceDomainHasItsOwnLevelNames() {
        #expect(spbe.instrument.levelLabels(forIndicator: "I42").map(\.name)
            == ["Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimum"])
        #expect(spbe.instrument.levelLabels(forIndicator: "I01")[0].name == "Rintisan")
    }
}
