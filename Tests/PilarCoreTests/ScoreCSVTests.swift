import Testing
@testable import PilarCore

@Suite struct ScoreCSVTests {
    let small = CompiledInstrument(Fixtures.small)

    @Test func readsScoresNAAndHeader() throws {
        let values = try ScoreCSV.parse("code,score\na1,2.5\nb2,NA\n\"a2\",4\n", instrument: small)
        #expect(values == ["a1": .score(2.5), "b2": .notApplicable, "a2": .score(4)])
    }

    @Test func semicolonsWithDecimalComma() throws {
        let values = try ScoreCSV.parse("a1;3,25\n", instrument: small)
        #expect(values == ["a1": .score(3.25)])
    }

    @Test func everyBadRowIsNamed() {
        #expect(throws: ScoreCSV.Problem.self) { try ScoreCSV.parse("a1,9\n", instrument: small) }
        do {
            _ = try ScoreCSV.parse("a1,9\nzz,1\na2,x\na2\na1,2\n", instrument: small)
        } catch {
            #expect(error.issues == [
                "line 1: score 9 for 'a1' is outside the scale 1–5",
                "line 2: 'zz' is not an indicator of small",
                "line 3: score 'x' for 'a2' is not a number or NA",
                "line 4: expected 2 fields 'code,score', found 1",
            ])
        }
    }
}
