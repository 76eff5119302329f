import Foundation

/// The checks every form repeats — text length, a required field, a year in 2000–2100, a calendar
/// date, a number as people type it — in one place. Each failed check leaves a catalogue key under
/// the field's name (the first failure of a field wins); the page shows it in the user's language.
public struct FieldErrors: Sendable, Equatable {
    /// Field name → catalogue key of the message.
    public private(set) var keys: [String: String] = [:]

    /// The years a cycle, programme or KPI may name.
    public static let years = 2000...2100

    public init() {}

    public var isEmpty: Bool { keys.isEmpty }

    /// Records a failure of `field` (kept only if the field has none yet).
    public mutating func add(_ field: String, _ key: String) {
        if keys[field] == nil { keys[field] = key }
    }

    /// Text of at most `max` characters, not empty when `required`; returns it trimmed.
    @discardableResult
    public mutating func text(_ field: String, _ value: String?, max: Int, required: Bool = false) -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required && text.isEmpty { add(field, "setup_required") }
        if text.count > max { add(field, "setup_too_long") }
        return text
    }

    /// A year in `FieldErrors.years`; nil (and an error when `required`) when empty.
    @discardableResult
    public mutating func year(_ field: String, _ value: String?, required: Bool = true) -> Int? {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add(field, "setup_year_invalid") }
            return nil
        }
        guard let year = Int(text), Self.years.contains(year) else {
            add(field, "setup_year_invalid")
            return nil
        }
        return year
    }

    /// A calendar date `YYYY-MM-DD`; nil when empty (an error when `required`) or not a day.
    @discardableResult
    public mutating func date(_ field: String, _ value: String?, required: Bool = false) -> String? {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add(field, "evidence_date_invalid") }
            return nil
        }
        guard CalendarDay.isValid(text) else {
            add(field, "evidence_date_invalid")
            return nil
        }
        return text
    }

    /// A number as people type it (`3,4` or `3.4`; `10.400` and `1.250,5` with Indonesian
    /// thousands dots); nil when empty (an error when `required`) or not a number.
    @discardableResult
    public mutating func number(_ field: String, _ value: String?, required: Bool = false) -> Double? {
        switch Self.parseNumber(value) {
        case let .some(.some(number)): return number
        case .some(.none):
            if required { add(field, "setup_required") }
            return nil
        case .none:
            add(field, "setup_number_invalid")
            return nil
        }
    }

    /// `.some(nil)` when empty, `nil` when not a number.
    public static func parseNumber(_ text: String?) -> Double?? {
        var raw = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty else { return .some(nil) }
        if raw.range(of: #"^-?\d{1,3}(\.\d{3})+(,\d+)?$"#, options: .regularExpression) != nil {
            raw = raw.replacingOccurrences(of: ".", with: "")
        }
        guard let value = Double(raw.replacingOccurrences(of: ",", with: ".")), value.isFinite else { return nil }
        return .some(value)
    }
}
