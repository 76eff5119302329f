/// Display rounding and comparison of computed scores.
///
/// Scores are computed in `Double` with full precision. Before a score is compared with a
/// band edge or rounded for display it is *snapped* to nine decimal places, which removes the
/// noise of binary floating point (3.4999999999999996 becomes 3.5) without changing any value
/// an instrument can express. Display rounding then works on whole numbers, so 2.675 rounds
/// half-up to 2.68 as a person would expect.
public enum Rounding {
    static let snapDigits = 9
    static let snapFactor = 1e9

    /// `value` with floating-point noise beyond nine decimals removed.
    public static func snap(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        return (value * snapFactor).rounded() / snapFactor
    }

    /// The score as text with the rule's digits, using `.` as the decimal separator.
    public static func display(_ value: Double, rule: RoundingRule) -> String {
        guard value.isFinite else { return "-" }
        let digits = Swift.max(0, Swift.min(rule.digits, snapDigits))
        let negative = value < 0
        let units = Int64((Swift.abs(value) * snapFactor).rounded())
        var divisor: Int64 = 1
        for _ in 0..<(snapDigits - digits) { divisor *= 10 }
        var quotient = units / divisor
        let remainder = units % divisor
        if rule.mode == .halfUp, remainder * 2 >= divisor { quotient += 1 }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let whole = quotient / scale
        let fraction = quotient % scale
        var text = String(whole)
        if digits > 0 {
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        let isZero = quotient == 0
        return (negative && !isZero ? "-" : "") + text
    }

    /// The displayed value as a number (what a person reading the report sees).
    public static func rounded(_ value: Double, rule: RoundingRule) -> Double {
        Double(display(value, rule: rule)) ?? value
    }
}
