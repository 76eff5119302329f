/// A programme risk's rating from its likelihood and impact (each 1–3, as in the city's risk
/// register): their product, high from 6, medium from 3, low below.
public enum RiskRating: String, Sendable, Equatable, CaseIterable {
    case low, medium, high

    /// The levels a likelihood or an impact may take.
    public static let levels = 1...3

    public static func of(likelihood: Int, impact: Int) -> RiskRating {
        let score = likelihood * impact
        return score >= 6 ? .high : score >= 3 ? .medium : .low
    }

    /// The catalogue key of the rating's name (`risk_high` …).
    public var textKey: String { "risk_\(rawValue)" }
}
