import Testing
@testable import PilarCore

@Suite("A risk's rating from likelihood × impact")
struct RiskRatingTests {
    @Test func everyCellOfTheThreeByThreeGrid() {
        let expected: [[RiskRating]] = [
            [.low, .low, .medium],
            [.low, .medium, .high],
            [.medium, .high, .high],
        ]
        for likelihood in 1...3 {
            for impact in 1...3 {
                #expect(RiskRating.of(likelihood: likelihood, impact: impact) == expected[likelihood - 1][impact - 1])
            }
        }
        #expect(RiskRating.high.textKey == "risk_high")
        #expect(!RiskRating.levels.contains(4))
    }
}
