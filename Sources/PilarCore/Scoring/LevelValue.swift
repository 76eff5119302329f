/// One indicator's value in a score layer.
public enum LevelValue: Sendable, Equatable, Hashable {
    /// Not scored yet: reported as missing, never counted as zero.
    case missing
    /// Not applicable: left out, its siblings' weights renormalised.
    case notApplicable
    case score(Double)

    public var score: Double? {
        if case let .score(value) = self { return value }
        return nil
    }
}

/// The layers of values a city keeps per indicator (DOMAIN.md §6).
public enum ScoreLayer: String, Sendable, CaseIterable, Codable {
    case target, `self`, verified, official
}
