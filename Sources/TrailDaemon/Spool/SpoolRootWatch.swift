/// Whether the spool root is watched, as a state machine: what the spool loop logs and reports
/// when the watcher says the root went away or came back, and how a failed scan is logged
/// meanwhile.
///
/// It does no I/O and reads no clock (time is a `Duration` from any origin, as for
/// `SpoolWatcher`). The point is to say each thing once: the root going is logged at error level
/// when it goes, with its path and a hint, not at every rescan; a change of reason while it is gone
/// (it came back as a file) is a warning; its return is logged at info with how long it was gone.
/// While it is gone the daemon is blind to new files, so the caller marks it unhealthy
/// (`/healthz` 503, `STATUS=`, no watchdog ping) from `wentAway` until `returned`.
package struct SpoolRootWatch: Sendable, Hashable {
    /// What the caller should do about a report.
    package enum Action: Sendable, Hashable {
        /// The root went away: log at error level, and report the daemon blind with `error`.
        case wentAway(SpoolError)
        /// Still gone, for another reason now: log a warning, and report `error` instead.
        case stillGone(SpoolError)
        /// Watched again after being gone for `after`: log at info, and report the daemon healthy.
        case returned(after: Duration)
    }

    /// How a failed scan is logged.
    package enum ScanFailure: Sendable, Hashable {
        /// At error level, and the root recorded as unlistable: the root exists but cannot be read.
        case error
        /// At debug level: the root is gone, which the watcher reports (once) by itself.
        case expected
    }

    /// Why the root is gone, and since when.
    package struct Gone: Sendable, Hashable {
        /// The watcher's last word on it: the path, the cause and a hint.
        package var error: SpoolError
        package var since: Duration
    }

    /// Why the root is gone and since when, or nil while it is watched.
    package private(set) var gone: Gone?

    /// A root that is watched.
    package init() {}

    /// Whether the root is gone (not watched).
    package var isGone: Bool { gone != nil }

    /// The watcher reported the root gone (`.failed` with `.rootGone`), at `now`.
    package mutating func lost(_ error: SpoolError, now: Duration) -> Action? {
        guard let current = gone else {
            gone = Gone(error: error, since: now)
            return .wentAway(error)
        }
        guard current.error != error else { return nil }
        gone = Gone(error: error, since: current.since)
        return .stillGone(error)
    }

    /// The watcher reported the root watched again (`.rootReturned`), at `now`.
    package mutating func returned(now: Duration) -> Action? {
        guard let current = gone else { return nil }
        gone = nil
        return .returned(after: now - current.since)
    }

    /// How to log a scan that failed on the root, given whether the root's path still leads to a
    /// directory. A root that is gone, or about to be reported gone (the scan can fail before the
    /// watcher's report arrives), was or will be logged once as gone; repeating it at every
    /// retry is what this avoids.
    package func scanFailed(rootIsDirectory: Bool) -> ScanFailure {
        isGone || !rootIsDirectory ? .expected : .error
    }
}
