import Testing
@testable import PilarCore

@Suite struct RoundingTests {
    let halfUp = RoundingRule(digits: 2, mode: .halfUp)
    let truncate = RoundingRule(digits: 2, mode: .truncate)

    @Test func halfUpRoundsTheWayPeopleDo() {
        #expect(halfUp.display(2.675) == "2.68") // binary 2.67499999… still rounds up
        #expect(halfUp.display(2.665) == "2.67")
        #expect(halfUp.display(3.06) == "3.06")
        #expect(halfUp.display(3) == "3.00")
        #expect(halfUp.display(0.1 + 0.2) == "0.30")
        #expect(halfUp.display(-0.125) == "-0.13")
        #expect(halfUp.display(-0.001) == "0.00")
        #expect(RoundingRule(digits: 0, mode: .halfUp).display(2.5) == "3")
        #expect(RoundingRule(digits: 3, mode: .halfUp).display(1.0005) == "1.001")
    }

    @Test func truncateCutsDigits() {
        #expect(truncate.display(2.679) == "2.67")
        #expect(truncate.display(3.4999999999999996) == "3.50") // noise is removed before cutting
        #expect(truncate.display(-1.239) == "-1.23")
    }

    @Test func snapRemovesFloatingNoise() {
        #expect(Rounding.snap(3.4999999999999996) == 3.5)
        #expect(Rounding.snap(0.1 + 0.2) == 0.3)
        #expect(Rounding.rounded(2.675, rule: halfUp) == 2.68)
    }
}
