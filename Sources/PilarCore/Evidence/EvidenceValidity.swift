import Foundation

/// Whether a dated document still holds: expired before today, or lapsing before the evaluation
/// date (assessors read the evidence on that day). Dates are `YYYY-MM-DD`, compared as text.
public enum EvidenceValidity {
    /// The document's validity ended before `today`.
    public static func isExpired(expiresOn: String?, today: String) -> Bool {
        guard let expiresOn, CalendarDay.isValid(expiresOn) else { return false }
        return expiresOn < today
    }

    /// The document's validity ends before the evaluation date.
    public static func lapsesBeforeEvaluation(expiresOn: String?, evaluation: String?) -> Bool {
        guard let expiresOn, let evaluation else { return false }
        return expiresOn < evaluation
    }
}
