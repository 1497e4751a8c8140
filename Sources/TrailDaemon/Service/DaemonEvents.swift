import NIOConcurrencyHelpers
package import TrailEngine

/// What the daemon's parts report as they work, in one place: the watchdog and `/healthz` read
/// progress from it, `STATUS=` reads the backlog and lag, and metrics are updated from it.
package final class DaemonEvents: Sendable {
    package struct Snapshot: Sendable {
        package var backlog = 0
        package var filesProcessed = 0
        package var filesQuarantined = 0
        package var alerts = 0
        /// Newest `eventTime` seen, seconds since 1970.
        package var newestEventTime: Int?
        /// When the spool loop finished its first scan (the daemon then says READY=1).
        package var spoolReadyAt: ContinuousClock.Instant?
        package var lastSpoolProgress: ContinuousClock.Instant?
        package var lastDispatcherProgress: [String: ContinuousClock.Instant] = [:]
        /// Sinks whose destination is gone (HTTP 410): they send nothing until a reload or restart.
        package var disabledSinks: Set<String> = []
        /// The ledger write that failed last (disk full, I/O error), until a write succeeds again.
        package var ledgerFault: LedgerFault?
        /// Spool files and directories that cannot be read for a reason of the environment
        /// (descriptors, memory, permissions, I/O), by path relative to the spool, with the error:
        /// they are retried, and their alerts are held back until they can be read.
        package var unreadable: [String: String] = [:]

        /// "N spool entries cannot be read, retrying", with the first path and its error when
        /// `detailed`; nil when every entry can be read. Said by `/healthz` and `STATUS=`.
        package func unreadableSummary(detailed: Bool) -> String? {
            guard let (path, reason) = unreadable.min(by: { $0.key < $1.key }) else { return nil }
            let count = unreadable.count
            let summary = "\(count) spool \(count == 1 ? "entry" : "entries") cannot be read, retrying"
            return detailed ? summary + " (\(path.isEmpty ? "." : path)): \(reason)" : summary
        }
        /// Each sink's condition and last delivery, for `/healthz` (`DaemonEvents+Sinks.swift`).
        package var sinks: [String: SinkState] = [:]
        /// The spool directory is gone and nothing is watched until it is back: `/healthz`
        /// answers 503, `STATUS=` says so and the watchdog is not fed. Nil while it is watched.
        package var spoolGone: SpoolGone?
    }

    /// The spool directory went away (deleted, moved, unmounted or replaced): the daemon sees no
    /// new file until it is back and watched again.
    package struct SpoolGone: Sendable {
        /// The watcher's report: the directory's path, why, and what to do.
        package var error: SpoolError
        /// When it went.
        package var since: ContinuousClock.Instant

        /// `spool directory gone for 12s: PATH: the spool directory went away: CAUSE (HINT)`, for
        /// `/healthz` and the watchdog's verdict.
        package func line(now: ContinuousClock.Instant) -> String {
            "spool directory gone for \((now - since).components.seconds)s: \(error)"
        }

        /// `spool directory PATH gone (CAUSE), waiting for it`, short enough for `STATUS=`.
        package var status: String { "spool directory \(error.path) gone (\(error.cause)), waiting for it" }
    }

    /// What the daemon was writing to the ledger when it failed.
    package enum LedgerOperation: String, Sendable, CaseIterable {
        /// Committing a file (done with its alerts, or quarantined).
        case file
        /// Claiming or settling deliveries in the outbox.
        case outbox
        /// Retention (deleting old rows).
        case maintenance
    }

    /// A ledger write that failed: nothing it carried was acknowledged, and it will be retried.
    package struct LedgerFault: Sendable {
        package var operation: LedgerOperation
        package var error: String
        /// When the writes started failing (the first failure of this run of failures).
        package var since: ContinuousClock.Instant
    }

    let state = NIOLockedValueBox(Snapshot())
    /// Receives the same events, for metrics (nil: none).
    private let observer: (any DaemonObserver)?

    package init(observer: (any DaemonObserver)? = nil) {
        self.observer = observer
    }

    package var snapshot: Snapshot { state.withLockedValue { $0 } }

    /// The spool loop went round: called on every iteration, idle or not, so that a wedged loop
    /// (and only a wedged loop) stops the watchdog pings.
    package func spoolProgressed(backlog: Int) {
        state.withLockedValue {
            $0.lastSpoolProgress = .now
            $0.backlog = backlog
        }
        observer?.backlog(backlog)
    }

    /// The spool loop took in its first scan and the daemon is about to say READY=1: from now on
    /// systemd's watchdog runs, and the loop's first report is awaited (`PipelineProgress`).
    package func spoolReady() {
        state.withLockedValue { $0.spoolReadyAt = .now }
    }

    package func dispatcherProgressed(sink: String) {
        state.withLockedValue { $0.lastDispatcherProgress[sink] = .now }
    }

    /// A dispatcher starts an attempt that may take up to `limit`: it counts as progressing
    /// until then, so a slow receiver does not withhold the watchdog ping.
    package func dispatcherBusy(sink: String, for limit: Duration) {
        state.withLockedValue { $0.lastDispatcherProgress[sink] = .now + limit }
    }

    /// A file was evaluated: `records` read, of which `skipped` the engine refused (invalid UTF-8,
    /// nesting too deep), and `alerts` raised per rule.
    package func fileProcessed(
        records: Int, skipped: Int, alerts: [String: Int], newestEventTime: Int?, duration: Duration
    ) {
        state.withLockedValue {
            $0.filesProcessed += 1
            $0.alerts += alerts.values.reduce(0, +)
            if let time = newestEventTime, time > ($0.newestEventTime ?? .min) { $0.newestEventTime = time }
        }
        observer?.fileProcessed(
            records: records, skipped: skipped, alerts: alerts, newestEventTime: newestEventTime, duration: duration)
    }

    /// A file's alarm matches that did not count toward alarms, by reason.
    package func alarmMatchesSkipped(_ skips: AlarmAdmission.Skips) {
        observer?.alarmMatchesSkipped(skips)
    }

    package func fileQuarantined(reason: String) {
        state.withLockedValue { $0.filesQuarantined += 1 }
        observer?.fileQuarantined(reason: reason)
    }

    /// One attempt that carried `count` alerts (more than one for a digest) ended in `outcome`.
    package func delivery(sink: String, outcome: OutboxOutcome, count: Int = 1, digest: Bool = false) {
        let result: String
        switch outcome {
        case .delivered: result = digest ? "digested" : "delivered"
        case .retry: result = "retry"
        case .dead: result = "dead"
        }
        recordSinkOutcome(sink: sink, outcome: outcome)
        observer?.delivery(sink: sink, result: result, count: count)
    }

    /// A destination answered that it is gone; its dispatcher has stopped.
    package func sinkDisabled(sink: String, reason: String = "the destination answered that it is gone") {
        state.withLockedValue {
            $0.disabledSinks.insert(sink)
            $0.sinks[sink, default: SinkState(started: DaemonClock.wallMilliseconds())].condition = .disabled(
                reason: reason)
        }
        observer?.delivery(sink: sink, result: "disabled", count: 1)
    }

    package func outbox(_ counts: [String: Int]) { observer?.outbox(counts) }

    /// A ledger write failed; `/healthz` and `STATUS=` report it until one succeeds.
    package func ledgerFailed(_ operation: LedgerOperation, error: any Error) {
        state.withLockedValue {
            $0.ledgerFault = LedgerFault(
                operation: operation, error: "\(error)", since: $0.ledgerFault?.since ?? .now)
        }
        observer?.ledgerFailed(operation: operation)
    }

    /// A ledger write succeeded: the storage works again.
    package func ledgerWrote() {
        state.withLockedValue { if $0.ledgerFault != nil { $0.ledgerFault = nil } }
    }

    package func reloaded(ok: Bool) { observer?.reloaded(ok: ok) }

    /// The spool directory is gone (or, still gone, for another reason now): reported until
    /// `spoolReturned`, from when it first went.
    package func spoolGone(_ error: SpoolError) {
        state.withLockedValue { $0.spoolGone = SpoolGone(error: error, since: $0.spoolGone?.since ?? .now) }
    }

    /// The spool directory is back and watched again.
    package func spoolReturned() {
        state.withLockedValue { $0.spoolGone = nil }
    }

    /// A spool file (or a directory, when listing it failed) could not be read for a reason of
    /// the environment; it will be retried.
    package func readFailed(path: String, reason: String) {
        let total = state.withLockedValue {
            $0.unreadable[path] = reason
            return $0.unreadable.count
        }
        observer?.readFailed(unreadableNow: total)
    }

    /// The files and directories at `paths` can be read again (or are gone).
    package func readRecovered(paths: some Sequence<String>) {
        let total = state.withLockedValue { snapshot in
            for path in paths { snapshot.unreadable[path] = nil }
            return snapshot.unreadable.count
        }
        observer?.unreadable(total)
    }
}

/// Receives the daemon's events (the metrics adapter implements it).
package protocol DaemonObserver: Sendable {
    func backlog(_ files: Int)
    func fileProcessed(records: Int, skipped: Int, alerts: [String: Int], newestEventTime: Int?, duration: Duration)
    func fileQuarantined(reason: String)
    func alarmMatchesSkipped(_ skips: AlarmAdmission.Skips)
    func delivery(sink: String, result: String, count: Int)
    func outbox(_ counts: [String: Int])
    func reloaded(ok: Bool)
    func ledgerFailed(operation: DaemonEvents.LedgerOperation)
    func readFailed(unreadableNow total: Int)
    func unreadable(_ total: Int)
}
