import Foundation

/// The wall clock, read at the edge only: state machines take times as arguments.
package enum DaemonClock {
    /// Milliseconds since 1970.
    @Sendable package static func wallMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static let origin = ContinuousClock.now

    /// Milliseconds on a clock that never steps back (for rates and pauses, which a wall clock
    /// set back by NTP would stall).
    @Sendable package static func monotonicMilliseconds() -> Int64 {
        (ContinuousClock.now - origin).milliseconds
    }
}

extension Duration {
    /// Whole milliseconds (the ledger's unit for times).
    package var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (the unit of file modification times).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
