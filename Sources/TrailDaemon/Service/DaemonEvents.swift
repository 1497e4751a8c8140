import Synchronization

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
        package var lastSpoolProgress: ContinuousClock.Instant?
        package var lastDispatcherProgress: [String: ContinuousClock.Instant] = [:]
        /// Sinks whose destination is gone (HTTP 410): they send nothing until a restart.
        package var disabledSinks: Set<String> = []
    }

    private let state = Mutex(Snapshot())
    /// Receives the same events, for metrics (nil: none).
    private let observer: (any DaemonObserver)?

    package init(observer: (any DaemonObserver)? = nil) {
        self.observer = observer
    }

    package var snapshot: Snapshot { state.withLock { $0 } }

    /// The spool loop went round: called on every iteration, idle or not, so that a wedged loop
    /// (and only a wedged loop) stops the watchdog pings.
    package func spoolProgressed(backlog: Int) {
        state.withLock {
            $0.lastSpoolProgress = .now
            $0.backlog = backlog
        }
        observer?.backlog(backlog)
    }

    package func dispatcherProgressed(sink: String) {
        state.withLock { $0.lastDispatcherProgress[sink] = .now }
    }

    /// A dispatcher starts an attempt that may take up to `limit`: it counts as progressing
    /// until then, so a slow receiver does not withhold the watchdog ping.
    package func dispatcherBusy(sink: String, for limit: Duration) {
        state.withLock { $0.lastDispatcherProgress[sink] = .now + limit }
    }

    package func fileProcessed(records: Int, alerts: [String: Int], newestEventTime: Int?, duration: Duration) {
        state.withLock {
            $0.filesProcessed += 1
            $0.alerts += alerts.values.reduce(0, +)
            if let time = newestEventTime, time > ($0.newestEventTime ?? .min) { $0.newestEventTime = time }
        }
        observer?.fileProcessed(records: records, alerts: alerts, newestEventTime: newestEventTime, duration: duration)
    }

    package func fileQuarantined(reason: String) {
        state.withLock { $0.filesQuarantined += 1 }
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
        observer?.delivery(sink: sink, result: result, count: count)
    }

    /// A destination answered that it is gone; its dispatcher has stopped.
    package func sinkDisabled(sink: String) {
        _ = state.withLock { $0.disabledSinks.insert(sink) }
        observer?.delivery(sink: sink, result: "disabled", count: 1)
    }

    package func outbox(_ counts: [String: Int]) { observer?.outbox(counts) }

    package func reloaded(ok: Bool) { observer?.reloaded(ok: ok) }
}

/// Receives the daemon's events (the metrics adapter implements it).
package protocol DaemonObserver: Sendable {
    func backlog(_ files: Int)
    func fileProcessed(records: Int, alerts: [String: Int], newestEventTime: Int?, duration: Duration)
    func fileQuarantined(reason: String)
    func delivery(sink: String, result: String, count: Int)
    func outbox(_ counts: [String: Int])
    func reloaded(ok: Bool)
}
