import Testing
@testable import PilarCore

@Suite("Instrument files: the shipped ones pass, broken copies name each problem")
struct InstrumentValidationTests {
    func problems(_ text: String) -> [InstrumentIssue] {
        do {
            _ = try InstrumentParser.parse(text)
            return []
        } catch {
            return error.issues
        }
    }

    func model() throws -> String { try Fixtures.instrumentText("model-smart-city-2021") }

    /// Line number (1-based) of the first line containing `needle`.
    func line(of needle: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    @Test func shippedInstrumentsAreValid() throws {
        let model = try Fixtures.shipped("model-smart-city-2021")
        #expect(model.isModel)
        #expect(model.groups.map(\.code) == ["BL", "OP", "OC", "IM", "QW"])
        #expect(model.groups.map(\.weight) == [10, 20, 30, 20, 20])
        let tagged = Set(model.indicators.compactMap(\.pillar))
        #expect(tagged == Set(SmartCityPillar.all.map(\.code)))
        let spbe = try Fixtures.shipped("spbe-2020")
        #expect(spbe.indicators.count == 47)
        #expect(!spbe.isModel)
    }

    @Test func jsonIsAccepted() throws {
        let json = """
        {"id": "j", "title": "J", "authority": "a", "edition": "1",
         "scale": {"min": 1, "max": 2, "levels": [{"level": 1, "name": "one"}, {"level": 2, "name": "two"}]},
         "predicates": [{"name": "any", "min": 0}], "rounding": {"digits": 1, "mode": "truncate"},
         "groups": [{"code": "G", "title": "G", "weight": 100, "children": [
           {"code": "x", "title": "X", "weight": 1, "rubric": [
             {"level": 1, "criteria": "c", "evidence": "e"}, {"level": 2, "criteria": "c", "evidence": "e"}]}]}]}
        """
        let instrument = try InstrumentParser.parse(json)
        #expect(instrument.indicators.map(\.code) == ["x"])
        #expect(instrument.rounding.mode == .truncate)
    }

    @Test func duplicateCodeNamesBothPlaces() throws {
        // given BL.3 renamed to BL.1
        let text = try model().replacingOccurrences(of: "code: \"BL.3\"", with: "code: \"BL.1\"")
        let issues = problems(text)
        #expect(issues.count == 1)
        let first = line(of: "code: \"BL.1\"", in: text)!
        #expect(issues[0].message == "duplicate code 'BL.1' (first used at line \(first))")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let second = lines.indices.filter { lines[$0].contains("code: \"BL.1\"") }[1] + 1
        #expect(issues[0].line == second) // the line of the second BL.1
        #expect(issues[0].path == "groups[0].children[2]")
    }

    @Test func nonPositiveWeight() throws {
        let text = try model().replacingOccurrences(of: "code: \"OP.5\"\n        title: \"Anggaran program smart city\"\n        weight: 1",
            with: "code: \"OP.5\"\n        title: \"Anggaran program smart city\"\n        weight: 0")
        let issues = problems(text)
        #expect(issues.map(\.message).contains("weight of 'OP.5' must be positive, found 0"))
        #expect(issues.contains { $0.message.hasPrefix("weight of 'OP.5'") && $0.line == line(of: "code: \"OP.5\"", in: text) })
    }

    @Test func topLevelWeightsMustSumTo100() throws {
        let text = try model().replacingOccurrences(of: "title: \"Outcome\"\n    weight: 30", with: "title: \"Outcome\"\n    weight: 35")
        let issues = problems(text)
        #expect(issues.map(\.message) == ["top-level weights must sum to 100, found 105 (BL 10 + OP 20 + OC 35 + IM 20 + QW 20)"])
    }

    @Test func levelOutsideScaleAndMissingRubricLevel() throws {
        // given OC.GOV's level 5 renumbered to 6
        var text = try model()
        let start = text.range(of: "code: \"OC.GOV\"")!
        let five = text.range(of: "- level: 5", range: start.upperBound..<text.endIndex)!
        text.replaceSubrange(five, with: "- level: 6")
        let issues = problems(text)
        #expect(issues.map(\.message) == [
            "rubric level 6 is outside the scale 1–5",
            "rubric of 'OC.GOV' is missing level 5",
        ])
        #expect(issues[0].line == line(of: "- level: 6", in: text))
        #expect(issues[0].path == "groups[2].children[0] (OC.GOV).rubric[4]")
    }

    @Test func overlappingAndGappedBands() throws {
        let overlap = try model().replacingOccurrences(of: "name: \"Baik\"\n    min: 2.6", with: "name: \"Baik\"\n    min: 2.5")
        #expect(problems(overlap).map(\.message) == ["'Baik' (starts at 2.5) overlaps 'Cukup' (ends before 2.6)"])
        let gap = try model().replacingOccurrences(of: "name: \"Baik\"\n    min: 2.6", with: "name: \"Baik\"\n    min: 2.7")
        let issues = problems(gap)
        #expect(issues.map(\.message) == ["gap between 'Cukup' (ends before 2.6) and 'Baik' (starts at 2.7)"])
        #expect(issues[0].line == line(of: "name: \"Baik\"", in: gap))
    }

    @Test func topOfScaleMustFallInABand() throws {
        let text = try model().replacingOccurrences(of: "name: \"Memuaskan\"\n    min: 4.2", with: "name: \"Memuaskan\"\n    min: 4.2\n    max: 5")
        #expect(problems(text).map(\.message) == ["no band covers the top of the scale 5: 'Memuaskan' ends before 5; leave out its max"])
    }

    @Test func yamlSyntaxErrorGivesLine() throws {
        var lines = try model().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[19] = "  levels: [unclosed"
        let issues = problems(lines.joined(separator: "\n"))
        #expect(issues.count == 1)
        #expect(issues[0].message.hasPrefix("YAML syntax error"))
        #expect(issues[0].line != nil)
        #expect(issues[0].line! >= 20)
    }

    @Test func typosAndWrongTypesAreNamed() throws {
        let text = try model()
            .replacingOccurrences(of: "rounding:\n  digits: 2\n  mode: half-up", with: "rounding:\n  digits: two\n  mode: nearest")
            .replacingOccurrences(of: "title: \"Baseline\"", with: "titel: \"Baseline\"")
        let messages = problems(text).map(\.message)
        #expect(messages.contains("'digits' must be a number, found 'two'"))
        #expect(messages.contains("mode must be 'half-up' or 'truncate', found 'nearest'"))
        #expect(messages.contains { $0.hasPrefix("unknown key 'titel'") })
        #expect(messages.contains("'title' is missing"))
    }

    @Test func unknownPillarAndElement() throws {
        let text = try model().replacingOccurrences(of: "pillar: governance", with: "pillar: goverment")
        let messages = problems(text).map(\.message)
        #expect(messages.count == 3)
        #expect(messages[0].hasPrefix("unknown pillar 'goverment'"))
    }

    @Test func indicatorWithoutRubric() throws {
        let issues = problems("""
        id: x
        title: X
        authority: a
        edition: "1"
        scale: {min: 1, max: 2, levels: [{level: 1, name: a}, {level: 2, name: b}]}
        predicates: [{name: all, min: 0}]
        rounding: {digits: 2, mode: half-up}
        groups:
          - code: G
            title: G
            weight: 100
            children:
              - code: i
                title: I
                weight: 1
        """)
        #expect(issues.map(\.message) == ["indicator has no rubric (a group needs children, an indicator a rubric)"])
        #expect(issues[0].line == 13)
    }
}
