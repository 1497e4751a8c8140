import Foundation

/// The wall clock, read at the edge only: state machines take times as arguments.
package enum DaemonClock {
    /// Milliseconds since 1970.
    @Sendable package static func wallMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
