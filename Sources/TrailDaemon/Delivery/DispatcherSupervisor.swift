package import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
package import TrailDelivery

/// Runs one `OutboxDispatcher` per configured sink, as child tasks of this one service, and
/// changes them when a reload changes the sinks (a `ServiceGroup` cannot add services once it
/// runs).
///
/// A reload is two steps around the pipeline swap. `prepare` builds the sinks the new
/// configuration adds or changes (throwing, so the reload is refused, when one cannot be built);
/// the caller then installs a pipeline that routes only to those sinks; `install` hands the new set
/// to the running loop, which starts dispatchers for new sinks, stops removed ones after their
/// delivery in flight (their undelivered alerts stay in the outbox, shown by `trailhound status`,
/// and go out if a sink of that name comes back), and restarts changed ones (never two at once
/// for one sink). On graceful shutdown every dispatcher drains within the same budget, together.
package final class DispatcherSupervisor: Service, Sendable {
    /// Builds a sink from its configuration (the executable knows the concrete sinks); `path` is
    /// its key path, for errors.
    package typealias SinkBuilder = @Sendable (_ sink: DaemonConfiguration.Sink, _ path: String) throws -> any AlertSink

    /// One sink as installed: its settings, the sink built from them, and an id that is new each
    /// time the sink is built, so the loop knows which dispatchers to restart.
    package struct Entry: Sendable {
        package var spec: SinkPlan.Spec
        package var sink: any AlertSink
        package var id: Int
    }

    /// A reload's sinks, built but not yet running.
    package struct Prepared: Sendable {
        package var plan: SinkPlan
        package var entries: [Entry]
        package var delivery: DaemonConfiguration.Delivery
        /// The sinks the new pipeline renders for, in configuration order.
        package var sinks: [any AlertSink] { entries.map(\.sink) }
    }

    private struct Installed {
        var entries: [Entry]
        var delivery: DaemonConfiguration.Delivery
        var nextID: Int
    }

    let ledger: Ledger
    let events: DaemonEvents
    let doorbells: Doorbells
    let logger: Logger
    private let installed: NIOLockedValueBox<Installed>
    /// When graceful shutdown began: every dispatcher's budget counts from it, one started
    /// during shutdown included, so SIGTERM ends within one budget.
    private let shutdownStarted = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
    private let changes: AsyncStream<[Entry]>
    private let continuation: AsyncStream<[Entry]>.Continuation

    /// Starts (once `run` runs) a dispatcher for each of `sinks`, configured by the entry of the
    /// same name in `configuration.sinks`.
    package init(
        sinks: [any AlertSink], configuration: DaemonConfiguration, ledger: Ledger, events: DaemonEvents,
        doorbells: Doorbells, logger: Logger
    ) {
        let entries = sinks.enumerated().map { index, sink in
            let options =
                configuration.sinks.first { $0.name == sink.name }
                ?? DaemonConfiguration.Sink(name: sink.name, section: StdoutSection(), inDoubt: sink.inDoubt)
            return Entry(spec: SinkPlan.Spec(sink: options, delivery: configuration.delivery), sink: sink, id: index)
        }
        installed = NIOLockedValueBox(
            Installed(entries: entries, delivery: configuration.delivery, nextID: entries.count))
        (changes, continuation) = AsyncStream.makeStream(of: [Entry].self, bufferingPolicy: .unbounded)
        continuation.yield(entries)
        self.ledger = ledger
        self.events = events
        self.doorbells = doorbells
        self.logger = logger
    }

    /// The delivery settings in force: the last installed.
    package var delivery: DaemonConfiguration.Delivery { installed.withLockedValue { $0.delivery } }

    /// Plans a reload to `sinks` and builds the sinks it adds or changes with `make`; changes
    /// nothing. Throws what `make` throws: the reload is then refused and the old sinks kept.
    package func prepare(
        _ sinks: [DaemonConfiguration.Sink], delivery: DaemonConfiguration.Delivery, make: SinkBuilder
    ) throws -> Prepared {
        let (current, firstID) = installed.withLockedValue { installed in
            defer { installed.nextID += sinks.count }
            return (installed.entries, installed.nextID)
        }
        let specs = sinks.map { SinkPlan.Spec(sink: $0, delivery: delivery) }
        let plan = SinkPlan(
            running: Dictionary(current.map { ($0.spec.name, $0.spec) }, uniquingKeysWith: { first, _ in first }),
            desired: specs, disabled: events.snapshot.disabledSinks)
        let build = plan.toBuild
        var entries: [Entry] = []
        for (index, spec) in specs.enumerated() {
            if !build.contains(spec.name), let kept = current.first(where: { $0.spec.name == spec.name }) {
                entries.append(kept)
            } else {
                // A sink built here holds nothing yet (webhook clients are made on first use), so
                // one left unused by a refused reload needs no shutdown.
                entries.append(Entry(spec: spec, sink: try make(spec.sink, "sinks[\(index)]"), id: firstID + index))
            }
        }
        return Prepared(plan: plan, entries: entries, delivery: delivery)
    }

    /// Hands a prepared reload to the running loop. Call it once the pipeline routing to
    /// `prepared.sinks` is in place, so no alert is routed to a sink that has no dispatcher coming.
    package func install(_ prepared: Prepared) {
        installed.withLockedValue {
            $0.entries = prepared.entries
            $0.delivery = prepared.delivery
        }
        if !prepared.plan.changesNothing {
            logger.info(
                "Sinks changed by the reload.",
                metadata: [
                    "th.added": "\(prepared.plan.added.joined(separator: ","))",
                    "th.restarted": "\(prepared.plan.changed.joined(separator: ","))",
                    "th.removed": "\(prepared.plan.removed.joined(separator: ","))",
                ])
        }
        continuation.yield(prepared.entries)
    }

    /// Records that graceful shutdown began now, unless it already had: the dispatchers' budget
    /// counts from the first call (the SIGTERM, through `LifecycleService`).
    package func shutdownBegan() {
        shutdownStarted.withLockedValue { $0 = $0 ?? .now }
    }

    package func run() async throws {
        let changes = self.changes
        await withGracefulShutdownHandler {
            await supervise(changes)
        } onGracefulShutdown: {
            self.shutdownBegan()
        }
        continuation.finish()
    }

    /// Carries out each installed change until graceful shutdown, then waits for the dispatchers
    /// to drain.
    private func supervise(_ changes: AsyncStream<[Entry]>) async {
        await withTaskGroup(of: Void.self) { group in
            var running: [String: (id: Int, handle: DispatcherHandle)] = [:]
            var reloaded = false
            for await entries in changes.cancelOnGracefulShutdown() {
                defer { reloaded = true }
                let wanted = Dictionary(entries.map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })
                // Stop first what goes or changes; start new names at once, since nothing else
                // sends their queue; restart changed ones only once the old dispatcher is done.
                var stopping: [(name: String, handle: DispatcherHandle)] = []
                for (name, current) in running where wanted[name]?.id != current.id {
                    current.handle.stop()
                    stopping.append((name, current.handle))
                    running[name] = nil
                }
                let restarting = Set(stopping.map(\.name))
                for entry in entries where running[entry.spec.name] == nil && !restarting.contains(entry.spec.name) {
                    // A name a reload brings back may still have alerts queued in an old shape.
                    if reloaded { renderQueueAgain(entry) }
                    running[entry.spec.name] = (entry.id, start(entry, in: &group))
                }
                for (name, handle) in stopping {
                    await handle.finished()
                    if let entry = wanted[name] {
                        renderQueueAgain(entry)
                        running[name] = (entry.id, start(entry, in: &group))
                    } else {
                        removed(name)
                    }
                }
            }
            // Graceful shutdown reached every dispatcher too (they are child tasks): each drains
            // within the shutdown budget, all at once; the group waits for them.
        }
    }

    /// Starts `entry`'s dispatcher as a child task; returns the handle that stops it.
    private func start(_ entry: Entry, in group: inout TaskGroup<Void>) -> DispatcherHandle {
        let options = entry.spec.sink
        let doorbell = doorbells.doorbell(for: options.name)
        let handle = DispatcherHandle(wake: doorbell)
        let dispatcher = OutboxDispatcher(
            sink: entry.sink, ledger: ledger, policy: entry.spec.policy,
            noise: NoiseControl(groupWindow: options.groupWindow, digestEvents: options.digestEvents),
            rate: options.rate.map { TokenBucket(perSecond: $0.perSecond, burst: $0.burst) }, doorbell: doorbell,
            shutdownBudget: entry.spec.shutdownBudget, logger: logger, events: events,
            shutdownStarted: { [shutdownStarted] in shutdownStarted.withLockedValue { $0 } })
        group.addTask {
            await dispatcher.run(handle: handle)
            handle.finish()
        }
        return handle
    }

    /// Renders the alerts queued for `entry`'s sink and not yet attempted with its new settings,
    /// before its dispatcher starts: a sink changed from Slack to Teams must not post the
    /// Slack payloads rendered at commit to Teams, which would refuse them into dead letters.
    private func renderQueueAgain(_ entry: Entry) {
        do {
            let count = try ledger.renderAgain(sink: entry.spec.name) { entry.sink.render($0) }
            if count > 0 {
                logger.info(
                    "Alerts queued for a changed sink rendered again for its new settings.",
                    metadata: ["th.sink": "\(entry.spec.name)", "th.count": "\(count)"])
            }
        } catch {
            logger.error(
                "Cannot render the queue of a changed sink again; its alerts go out as first rendered.",
                metadata: ["th.sink": "\(entry.spec.name)", "th.error": "\(error)"])
        }
    }

    /// Reports a sink a reload removed, once its dispatcher has stopped.
    private func removed(_ name: String) {
        events.sinkRemoved(sink: name)
        let left: SinkBacklog?
        do {
            left = try ledger.backlog(now: DaemonClock.wallMilliseconds())[name]
        } catch {
            logger.error(
                "Sink removed; cannot count what it leaves undelivered (kept in the outbox, see trailhound status).",
                metadata: ["th.sink": "\(name)", "th.error": "\(error)"])
            return
        }
        let count = (left?.waiting ?? 0) + (left?.held ?? 0)
        if count > 0 {
            logger.error(
                "Sink removed with alerts undelivered; they stay in the outbox (see trailhound status) and go out if a sink of that name is configured again.",
                metadata: ["th.sink": "\(name)", "th.count": "\(count)"])
        } else {
            logger.info("Sink removed.", metadata: ["th.sink": "\(name)"])
        }
    }
}
