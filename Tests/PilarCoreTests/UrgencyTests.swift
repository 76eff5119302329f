import Testing
@testable import PilarCore

@Suite("How pressing an action item is")
struct UrgencyTests {
    @Test func overdueSoonAndNeither() {
        // given 29 September 2022
        let today = "2022-09-29"
        #expect(Urgency.of(due: "2022-09-28", closed: false, today: today) == .overdue)
        #expect(Urgency.of(due: "2022-09-29", closed: false, today: today) == .soon)
        #expect(Urgency.of(due: "2022-10-02", closed: false, today: today) == .soon)
        #expect(Urgency.of(due: "2022-10-03", closed: false, today: today) == .none)
        // across a month and a year end
        #expect(Urgency.of(due: "2023-01-02", closed: false, today: "2022-12-30") == .soon)
        // closed or undated items are never pressing
        #expect(Urgency.of(due: "2022-09-01", closed: true, today: today) == .none)
        #expect(Urgency.of(due: nil, closed: false, today: today) == .none)
        #expect(Urgency.none.nilIfNone == nil)
        #expect(Urgency.overdue.rawValue == "overdue")
    }
}
