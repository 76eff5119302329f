import Testing
@testable import PilarCore

@Suite("The checks every form repeats")
struct FieldErrorsTests {
    @Test func textIsTrimmedAndLimited() {
        // given
        var errors = FieldErrors()
        // when
        let kept = errors.text("title", "  Bank sampah  ", max: 300, required: true)
        errors.text("place", String(repeating: "x", count: 301), max: 300)
        errors.text("chair", "   ", max: 300, required: true)
        // then
        #expect(kept == "Bank sampah")
        #expect(errors.keys == ["place": "setup_too_long", "chair": "setup_required"])
    }

    @Test func yearsLieBetween2000And2100() {
        var errors = FieldErrors()
        #expect(errors.year("a", "2000") == 2000)
        #expect(errors.year("b", "2100") == 2100)
        #expect(errors.year("c", "1999") == nil)
        #expect(errors.year("d", "2101") == nil)
        #expect(errors.year("e", "dua ribu") == nil)
        #expect(errors.year("f", "") == nil)
        #expect(errors.year("g", "", required: false) == nil)
        #expect(errors.keys == ["c": "setup_year_invalid", "d": "setup_year_invalid", "e": "setup_year_invalid",
                                "f": "setup_year_invalid"])
    }

    @Test func datesMustBeOnTheCalendar() {
        var errors = FieldErrors()
        #expect(errors.date("a", "2022-09-29") == "2022-09-29")
        #expect(errors.date("b", "2024-02-29") == "2024-02-29")
        #expect(errors.date("c", "2022-02-29") == nil)
        #expect(errors.date("d", "29/09/2022") == nil)
        #expect(errors.date("e", "") == nil)
        #expect(errors.date("f", " ", required: true) == nil)
        #expect(errors.keys == ["c": "evidence_date_invalid", "d": "evidence_date_invalid", "f": "evidence_date_invalid"])
    }

    @Test func numbersAsIndonesiansTypeThem() {
        var errors = FieldErrors()
        #expect(errors.number("a", "3,4") == 3.4)
        #expect(errors.number("b", "10.400") == 10_400)
        #expect(errors.number("c", "1.250,5") == 1_250.5)
        #expect(errors.number("d", "") == nil)
        #expect(errors.number("e", "banyak") == nil)
        #expect(errors.number("f", "", required: true) == nil)
        #expect(errors.keys == ["e": "setup_number_invalid", "f": "setup_required"])
    }

    @Test func theFirstFailureOfAFieldIsKept() {
        var errors = FieldErrors()
        errors.add("level", "first")
        errors.add("level", "second")
        #expect(errors.keys == ["level": "first"])
    }
}
