import Foundation
package import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
package import TrailDelivery
import TrailRules

/// Sends one sink's outbox in enqueue order, one delivery at a time: pending → in flight →
/// delivered, retried with backoff, or dead.
///
/// The queue head blocks the sink while it waits for a retry, so a receiver sees alerts in order
/// and a `Retry-After` pauses the whole destination, as providers expect. A token bucket keeps
/// sends within the provider's rate. Noise control moves a flooding rule's alerts out of the
/// queue into one digest per window. A destination that answers that it is gone (410) stops this
/// dispatcher; its alerts stay pending for a reload or the next start.
///
/// `DispatcherSupervisor` runs one per sink and stops it through a `DispatcherHandle` when a
/// reload removes or changes the sink: between deliveries, never in the middle of one.
///
/// On graceful shutdown it keeps sending what is due until the outbox is empty or the shutdown
/// budget is spent; whatever is left stays pending for the next start. A delivery still in flight
/// when the budget runs out is cancelled, and its rows stay in flight: in doubt, exactly as after
/// a crash, so the next start resends or drops them as the sink's `in_doubt` says.
package struct OutboxDispatcher: Service {
    let sink: any AlertSink
    let ledger: Ledger
    let policy: RetryPolicy
    let noise: NoiseControl
    let rate: TokenBucket?
    let doorbell: Doorbell
    let shutdownBudget: Duration
    let logger: Logger
    let events: DaemonEvents
    /// Milliseconds since 1970.
    let now: @Sendable () -> Int64
    /// When graceful shutdown began for the whole daemon, if known: the budget counts from there,
    /// so a dispatcher started during shutdown (a reload's restart) gets no budget of its own.
    let shutdownStarted: (@Sendable () -> ContinuousClock.Instant?)?

    package init(
        sink: any AlertSink, ledger: Ledger, policy: RetryPolicy, noise: NoiseControl = NoiseControl(),
        rate: TokenBucket? = nil, doorbell: Doorbell, shutdownBudget: Duration, logger: Logger, events: DaemonEvents,
        now: @escaping @Sendable () -> Int64 = DaemonClock.wallMilliseconds,
        shutdownStarted: (@Sendable () -> ContinuousClock.Instant?)? = nil
    ) {
        self.sink = sink
        self.ledger = ledger
        self.policy = policy
        self.noise = noise
        self.rate = rate
        self.doorbell = doorbell
        self.shutdownBudget = shutdownBudget
        self.logger = logger
        self.events = events
        self.now = now
        self.shutdownStarted = shutdownStarted
    }

    /// What one turn of the loop did.
    enum Step {
        /// Something was sent or regrouped: go round again at once.
        case progressed
        /// Nothing is due before this time (ms since 1970), if anything is waiting at all.
        case idle(until: Int64?)
        /// The destination is gone, for this reason.
        case disabled(String)
        /// The shutdown deadline cancelled the delivery in flight; its rows stay in flight.
        case abandoned
    }

    /// The loop's own state, carried from turn to turn.
    struct Pace {
        /// The provider's rate, on the monotonic clock.
        var bucket: TokenBucket?
        /// A `Retry-After` pauses the whole destination, digests included (monotonic ms).
        var pausedUntil: Int64 = 0
    }

    package func run() async throws {
        await run(handle: nil)
    }

    /// Runs until graceful shutdown (within the budget), cancellation, or a stop through `handle`.
    package func run(handle: DispatcherHandle?) async {
        let deadline = ShutdownDeadline()
        let doorbell = self.doorbell
        let budget = shutdownBudget
        let shutdownStarted = self.shutdownStarted
        var pace = Pace(bucket: rate)
        events.dispatcherStarted(sink: sink.name)
        await withGracefulShutdownHandler {
            while !Task.isCancelled && handle?.stopRequested != true {
                if deadline.hasPassed {
                    logger.warning("Shutdown budget spent; undelivered alerts stay pending.", metadata: meta)
                    return
                }
                let step = await turn(&pace, deadline: deadline)
                events.dispatcherProgressed(sink: sink.name)
                switch step {
                case .progressed:
                    continue
                case .abandoned:
                    logger.warning(
                        "Shutdown budget spent during a delivery; it was cancelled and stays in flight, in doubt, for the next start.",
                        metadata: meta.merging(["th.in_doubt": "\(sink.inDoubt.rawValue)"]) { $1 })
                    return
                case .disabled(let reason):
                    events.sinkDisabled(sink: sink.name, reason: reason)
                    // Returning would stop a group it runs in alone; wait for shutdown or a stop.
                    while deadline.value == nil && handle?.stopRequested != true && !Task.isCancelled {
                        await doorbell.wait(timeout: .seconds(1))
                    }
                    return
                case .idle(let until):
                    if deadline.value != nil && until.map({ $0 > now() + 1000 }) ?? true {
                        return  // nothing due soon: what is left waits for the next start
                    }
                    let wait = until.map { min(max($0 - now(), 1), 1000) } ?? 1000
                    await doorbell.wait(timeout: .milliseconds(wait))
                }
            }
        } onGracefulShutdown: {
            deadline.start(at: (shutdownStarted?() ?? .now) + budget)
            doorbell.ring()
        }
        await sink.shutdown()
    }

    /// Sends one payload, racing the shutdown deadline: nil when the deadline (or cancellation)
    /// came first and cancelled the request. The sink's answer is then unknown, so the caller
    /// records nothing and the rows stay in flight, as after a crash.
    ///
    /// The delivery runs in a task of its own that is cancelled, not awaited, when it loses: a
    /// step that does not answer cancellation (a DNS lookup in `getaddrinfo`, a `write` to a
    /// stalled stdout pipe) must not hold the process past the budget.
    private func attempt(_ payload: [UInt8], alertID: String, deadline: ShutdownDeadline) async -> DeliveryResult? {
        let sink = self.sink
        let race = FirstOf<DeliveryResult?>()
        let delivery = Task { race.settle(await sink.deliver(payload, alertID: alertID)) }
        let timer = Task {
            await deadline.reached()
            if !Task.isCancelled { race.settle(nil) }
        }
        let result = await withTaskCancellationHandler {
            await race.value
        } onCancel: {
            race.settle(nil)
        }
        timer.cancel()
        if result == nil { delivery.cancel() }
        return result
    }

    private var meta: Logger.Metadata { ["th.sink": "\(sink.name)"] }

    /// Sends a due digest, or the queue head when due (or groups it), or says when to look again.
    /// Waits (for a rate token or a receiver's pause) are returned as `.idle`, never slept here,
    /// so the loop keeps reporting progress and honours the shutdown deadline.
    private func turn(_ pace: inout Pace, deadline: ShutdownDeadline) async -> Step {
        let clock = DaemonClock.monotonicMilliseconds()
        let hold = max(pace.pausedUntil - clock, pace.bucket?.wait(now: clock) ?? 0)
        if hold > 0 { return .idle(until: now() + hold) }
        do {
            if let (id, claimed) = try ledger.claimDigest(sink: sink.name, now: now(), limit: noise.digestLimit),
                !claimed.isEmpty
            {
                return await send(claimed, digestID: id, &pace, deadline: deadline)
            }
            let nextDigest = try ledger.nextDigest(sink: sink.name)
            guard let head = try ledger.head(sink: sink.name) else { return .idle(until: nextDigest) }
            guard head.due <= now() else { return .idle(until: min(head.due, nextDigest ?? .max)) }
            let last = noise.groupWindow == nil ? nil : try ledger.lastDelivered(sink: sink.name, rule: head.ruleID)
            if case .group(let until) = noise.decide(lastDelivered: last, now: now()) {
                let held = try ledger.group(sink: sink.name, rule: head.ruleID, until: until, now: now())
                logger.debug(
                    "Alerts held for a digest.",
                    metadata: meta.merging(["th.rule": "\(head.ruleID)", "th.count": "\(held)"]) { $1 })
                return .progressed
            }
            guard let item = try ledger.claim(sink: sink.name, alertID: head.alertID, now: now()) else {
                return .progressed
            }
            _ = pace.bucket?.take(now: DaemonClock.monotonicMilliseconds())
            events.dispatcherBusy(sink: sink.name, for: sink.attemptLimit)
            guard let result = await attempt(item.payload, alertID: item.alertID, deadline: deadline) else {
                return .abandoned
            }
            return await settle([item], result: result, digest: nil, &pace)
        } catch {
            logger.error("Cannot read the outbox.", metadata: meta.merging(["th.error": "\(error)"]) { $1 })
            events.ledgerFailed(.outbox, error: error)
            return .idle(until: now() + 1000)
        }
    }

    /// Sends claimed grouped alerts: as one digest, or alone when only one is left.
    private func send(
        _ claimed: [(OutboxItem, Alert)], digestID: String, _ pace: inout Pace, deadline: ShutdownDeadline
    ) async -> Step {
        _ = pace.bucket?.take(now: DaemonClock.monotonicMilliseconds())
        events.dispatcherBusy(sink: sink.name, for: sink.attemptLimit)
        let items = claimed.map(\.0)
        guard claimed.count > 1 else {
            guard let result = await attempt(items[0].payload, alertID: items[0].alertID, deadline: deadline) else {
                return .abandoned
            }
            return await settle(items, result: result, digest: nil, &pace)
        }
        var digest = AlertDigest(alerts: claimed.map(\.1), shown: noise.digestEvents)
        digest.id = digestID
        guard let result = await attempt(sink.render(digest), alertID: digest.id, deadline: deadline) else {
            return .abandoned
        }
        return await settle(items, result: result, digest: digest, &pace)
    }

    /// Records what became of an attempt that carried `items`, logs it, and says what next.
    private func settle(
        _ items: [OutboxItem], result: DeliveryResult, digest: AlertDigest?, _ pace: inout Pace
    ) async -> Step {
        let first = items[0]
        let outcome = policy.outcome(
            of: result, attempts: first.attempts, enqueued: items.map(\.enqueued).min() ?? first.enqueued, now: now(),
            jitter: Double.random(in: 0..<1))
        var metadata = meta
        metadata["th.alert"] = "\(digest?.id ?? first.alertID)"
        if let digest { metadata["th.digest"] = "\(digest.count) alerts of \(digest.ruleID)" }
        switch outcome {
        case .delivered:
            logger.debug("Alert delivered.", metadata: metadata)
        case .retry(let at, let error):
            metadata["th.error"] = "\(error)"
            metadata["th.attempt"] = "\(first.attempts)"
            metadata["th.retry_in_ms"] = "\(at - now())"
            if case .disable = result {
                logger.error(
                    "Destination disabled: it answered that it is gone. Its alerts stay pending until the sink is fixed and the daemon reloaded or restarted.",
                    metadata: metadata)
            } else {
                logger.warning("Delivery failed; will retry.", metadata: metadata)
            }
            if case .retry(let hint?, _) = result {
                pace.pausedUntil = DaemonClock.monotonicMilliseconds() + min(hint, RetryPolicy.maximumHint).milliseconds
            }
        case .dead(let error):
            metadata["th.error"] = "\(error)"
            logger.error("Delivery dead-lettered.", metadata: metadata)
        }
        if case .disable = result {
        } else {
            events.delivery(sink: sink.name, outcome: outcome, count: items.count, digest: digest != nil)
            if case .retry(let hint?, _) = result {
                events.sinkPaused(sink: sink.name, until: now() + min(hint, RetryPolicy.maximumHint).milliseconds)
            }
        }
        await record(items, outcome)
        if case .disable(let reason) = result { return .disabled(reason) }
        return .progressed
    }

    /// Writes an outcome to the ledger, trying again while the database is busy: rows left in
    /// flight would be overtaken by later alerts and resent only after a restart.
    private func record(_ items: [OutboxItem], _ outcome: OutboxOutcome) async {
        var pause: Duration = .milliseconds(50)
        for attempt in 1... {
            do {
                try ledger.settle(items, outcome, now: now())
                events.ledgerWrote()
                return
            } catch {
                events.ledgerFailed(.outbox, error: error)
                if attempt == 1 || attempt % 20 == 0 {
                    logger.error(
                        "Cannot record a delivery; trying again.",
                        metadata: meta.merging(["th.error": "\(error)"]) { $1 })
                }
                if Task.isCancelled { return }  // in flight: resent after the restart, at least once
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
