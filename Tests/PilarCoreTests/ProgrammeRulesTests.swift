import Testing
@testable import PilarCore

@Suite("KPI periods, targets and a programme's plan")
struct ProgrammeRulesTests {
    @Test func aYearHasTwelveMonthsFourQuartersOrItself() {
        #expect(KPIPeriod.all(.monthly, year: 2022).first == "2022-01")
        #expect(KPIPeriod.all(.monthly, year: 2022).last == "2022-12")
        #expect(KPIPeriod.all(.monthly, year: 2022).count == 12)
        #expect(KPIPeriod.all(.quarterly, year: 2022) == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"])
        #expect(KPIPeriod.all(.yearly, year: 2022) == ["2022"])
    }

    @Test func aPeriodIsAcceptedOnlyInTheProgrammesYearsAndAtItsFrequency() {
        // given a monthly KPI of a programme running 2022–2023
        let years = 2022...2023
        // then
        #expect(KPIPeriod.accepts("2022-09", frequency: .monthly, years: years))
        #expect(KPIPeriod.accepts("2023-12", frequency: .monthly, years: years))
        #expect(!KPIPeriod.accepts("2021-12", frequency: .monthly, years: years))
        #expect(!KPIPeriod.accepts("2022-13", frequency: .monthly, years: years))
        #expect(!KPIPeriod.accepts("2022-9", frequency: .monthly, years: years))
        #expect(!KPIPeriod.accepts("2022-Q3", frequency: .monthly, years: years))
        #expect(KPIPeriod.accepts("2022-Q3", frequency: .quarterly, years: years))
        #expect(!KPIPeriod.accepts("2022-Q5", frequency: .quarterly, years: years))
        #expect(KPIPeriod.accepts("2023", frequency: .yearly, years: years))
        #expect(!KPIPeriod.accepts("2024", frequency: .yearly, years: years))
        #expect(!KPIPeriod.accepts("", frequency: .yearly, years: years))
    }

    @Test func labelsNameTheMonthByItsCatalogueKey() {
        #expect(KPIPeriod.label("2022-03") == .init(head: .month(key: "month_3"), year: "2022"))
        #expect(KPIPeriod.label("2022-Q1") == .init(head: .text("Q1"), year: "2022"))
        #expect(KPIPeriod.label("2022") == .init(head: nil, year: "2022"))
    }

    @Test func aFigureIsBehindWhenItMissesTheTargetInTheKPIsDirection() {
        #expect(KPIGoal.isBehind(actual: 90, target: 100, higherIsBetter: true))
        #expect(!KPIGoal.isBehind(actual: 100, target: 100, higherIsBetter: true))
        #expect(KPIGoal.isBehind(actual: 12, target: 10, higherIsBetter: false))
        #expect(!KPIGoal.isBehind(actual: 8, target: 10, higherIsBetter: false))
        #expect(!KPIGoal.isBehind(actual: nil, target: 10, higherIsBetter: true))
        #expect(!KPIGoal.isBehind(actual: 5, target: nil, higherIsBetter: true))
    }

    @Test func aPlanIsCheckedFieldByField() {
        // given a plan with every field wrong
        var errors = FieldErrors()
        // when
        let plan = ProgrammePlan.check(title: "", horizon: "someday", startYear: "1999", endYear: "x", quickWinYear: "3000",
                                       errors: &errors)
        // then
        #expect(plan == nil)
        #expect(errors.keys == ["title": "setup_required", "horizon": "setup_status_unknown",
                                "start_year": "setup_year_invalid", "end_year": "setup_year_invalid",
                                "quick_win_year": "setup_year_invalid"])
    }

    @Test func aPlanEndsNoEarlierThanItStarts() {
        var errors = FieldErrors()
        #expect(ProgrammePlan.check(title: "Bank sampah", horizon: "medium", startYear: "2023", endYear: "2022",
                                    quickWinYear: "", errors: &errors) == nil)
        #expect(errors.keys == ["end_year": "programme_end_before_start"])
    }

    @Test func aGoodPlanIsReturnedTrimmed() {
        var errors = FieldErrors()
        let plan = ProgrammePlan.check(title: "  Bank sampah digital ", horizon: "quick_win", startYear: "2022",
                                       endYear: "2024", quickWinYear: "2022", errors: &errors)
        #expect(errors.isEmpty)
        #expect(plan == ProgrammePlan(title: "Bank sampah digital", horizon: .quickWin, startYear: 2022, endYear: 2024,
                                      quickWinYear: 2022))
        #expect(plan?.years == 2022...2024)
    }
}

@Suite("A document's validity against today and the evaluation date")
struct EvidenceValidityTests {
    @Test func aDocumentExpiresTheDayAfterItsLastValidDay() {
        #expect(EvidenceValidity.isExpired(expiresOn: "2022-09-28", today: "2022-09-29"))
        #expect(!EvidenceValidity.isExpired(expiresOn: "2022-09-29", today: "2022-09-29"))
        #expect(!EvidenceValidity.isExpired(expiresOn: nil, today: "2022-09-29"))
        #expect(!EvidenceValidity.isExpired(expiresOn: "kapan-kapan", today: "2022-09-29"))
    }

    @Test func aDocumentLapsingBeforeTheEvaluationIsFlagged() {
        #expect(EvidenceValidity.lapsesBeforeEvaluation(expiresOn: "2022-10-01", evaluation: "2022-10-05"))
        #expect(!EvidenceValidity.lapsesBeforeEvaluation(expiresOn: "2022-10-05", evaluation: "2022-10-05"))
        #expect(!EvidenceValidity.lapsesBeforeEvaluation(expiresOn: "2022-10-01", evaluation: nil))
    }
}
