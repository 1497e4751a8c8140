import Foundation
package import Logging
package import ServiceLifecycle

/// Sends one sink's outbox, oldest first, one delivery at a time: pending → in flight →
/// delivered, retried with backoff, or dead.
///
/// On graceful shutdown it keeps sending what is due until the outbox is empty or the shutdown
/// budget is spent; whatever is left stays pending for the next start.
package struct OutboxDispatcher: Service {
    let sink: any AlertSink
    let ledger: Ledger
    let policy: RetryPolicy
    let doorbell: Doorbell
    let shutdownBudget: Duration
    let logger: Logger
    let events: DaemonEvents
    /// Milliseconds since 1970.
    let now: @Sendable () -> Int64

    package init(
        sink: any AlertSink, ledger: Ledger, policy: RetryPolicy, doorbell: Doorbell, shutdownBudget: Duration,
        logger: Logger, events: DaemonEvents, now: @escaping @Sendable () -> Int64 = DaemonClock.wallMilliseconds
    ) {
        self.sink = sink
        self.ledger = ledger
        self.policy = policy
        self.doorbell = doorbell
        self.shutdownBudget = shutdownBudget
        self.logger = logger
        self.events = events
        self.now = now
    }

    package func run() async throws {
        let deadline = Locked<ContinuousClock.Instant?>(nil)
        let doorbell = self.doorbell
        let budget = shutdownBudget
        await withGracefulShutdownHandler {
            while true {
                let draining = deadline.withLock { $0 }
                if let draining, ContinuousClock.now >= draining {
                    logger.warning(
                        "Shutdown budget spent; undelivered alerts stay pending.", metadata: ["th.sink": "\(sink.name)"]
                    )
                    return
                }
                let sent = await deliverDue()
                events.dispatcherProgressed(sink: sink.name)
                if sent > 0 { continue }
                if draining != nil { return }  // nothing due now: what is left waits for a retry time
                await doorbell.wait(timeout: waitTime())
            }
        } onGracefulShutdown: {
            deadline.withLock { $0 = ContinuousClock.now + budget }
            doorbell.ring()
        }
    }

    /// Sends a batch of due deliveries; returns how many were attempted.
    private func deliverDue() async -> Int {
        let items: [OutboxItem]
        do {
            // One at a time: a crash leaves at most one delivery in doubt per sink.
            items = try ledger.claimDue(sink: sink.name, now: now(), limit: 1)
        } catch {
            logger.error("Cannot read the outbox.", metadata: ["th.sink": "\(sink.name)", "th.error": "\(error)"])
            return 0
        }
        for item in items {
            let result = await sink.deliver(item.payload, alertID: item.alertID)
            let outcome = policy.outcome(
                of: result, attempts: item.attempts, now: now(), jitter: Double.random(in: 0..<1))
            switch outcome {
            case .delivered:
                logger.debug("Alert delivered.", metadata: ["th.sink": "\(sink.name)", "th.alert": "\(item.alertID)"])
            case .retry(let at, let error):
                logger.warning(
                    "Delivery failed; will retry.",
                    metadata: [
                        "th.sink": "\(sink.name)", "th.alert": "\(item.alertID)", "th.error": "\(error)",
                        "th.attempt": "\(item.attempts)", "th.retry_in_ms": "\(at - now())",
                    ])
            case .dead(let error):
                logger.error(
                    "Delivery dead-lettered.",
                    metadata: ["th.sink": "\(sink.name)", "th.alert": "\(item.alertID)", "th.error": "\(error)"])
            }
            events.delivery(sink: sink.name, outcome: outcome)
            do {
                try ledger.settle(item, outcome, now: now())
            } catch {
                // The row stays in flight and is resent after a restart: at least once.
                logger.error(
                    "Cannot record a delivery.", metadata: ["th.sink": "\(sink.name)", "th.error": "\(error)"])
            }
        }
        return items.count
    }

    /// Until the next retry is due, at most a second (a safety net for a missed ring).
    private func waitTime() -> Duration {
        guard let due = try? ledger.nextDue(sink: sink.name) else { return .seconds(1) }
        return .milliseconds(min(max(due - now(), 1), 1000))
    }
}
