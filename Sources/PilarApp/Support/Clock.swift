import Foundation
import Vapor

/// The one source of "now" for Pilar: the live clock, or a fixed one that a test sets
/// (`withPilar(today:)`), so deadlines, countdowns, overdue items and expiry can be tested on a
/// known date. Nothing else in the application reads the system clock.
extension Application {
    private struct ClockKey: StorageKey { typealias Value = @Sendable () -> Date }

    var clock: @Sendable () -> Date {
        get { storage[ClockKey.self] ?? { Date() } }
        set { storage[ClockKey.self] = newValue }
    }

    var now: Date { clock() }
}

extension Request {
    var now: Date { application.clock() }

    /// Today's date (`YYYY-MM-DD`) in the region's time zone.
    func today(in zone: TimeZone) -> String { CalendarDate.today(in: zone, now: now) }
}
