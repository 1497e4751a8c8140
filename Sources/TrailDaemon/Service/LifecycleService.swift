package import Logging
import ServiceLifecycle
import UnixSignals

/// Talks to systemd and handles SIGHUP: `STATUS=` with backlog, outbox and lag, `WATCHDOG=1`
/// only while the spool loop and the dispatchers are making progress and the spool directory is
/// watched, `RELOADING=1`/`READY=1` around a reload, and `STOPPING=1` when shutdown starts.
package struct LifecycleService: Service {
    let notifier: SystemdNotifier
    let events: DaemonEvents
    let ledger: Ledger
    let logger: Logger
    /// Re-reads configuration and rules and installs them; throws (keeping the old ones) when
    /// the new ones are bad. Returns a one-line summary.
    let reload: @Sendable () throws -> String
    /// Trapped before the daemon says READY=1, so a SIGHUP from then on reloads (its default
    /// action would end the process).
    let hangups: UnixSignalsSequence
    /// Called when graceful shutdown starts. The service group shuts services down one at a time,
    /// last first, and this one is last: the moment is the SIGTERM's, which the dispatchers'
    /// shutdown budget counts from, however long the spool loop then takes to finish its file.
    let onStopping: @Sendable () -> Void

    package init(
        notifier: SystemdNotifier, events: DaemonEvents, ledger: Ledger, logger: Logger,
        onStopping: @escaping @Sendable () -> Void = {}, reload: @escaping @Sendable () throws -> String
    ) async {
        hangups = await UnixSignalsSequence(trapping: .sighup)
        self.notifier = notifier
        self.events = events
        self.ledger = ledger
        self.logger = logger
        self.reload = reload
        self.onStopping = onStopping
    }

    package func run() async throws {
        let signals = hangups
        let tick = notifier.watchdogInterval.map { min($0 / 2, .seconds(5)) } ?? .seconds(5)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals { handleReload() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        heartbeat()
                        try? await Task.sleep(for: tick)
                    }
                }
                try? await gracefulShutdown()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            onStopping()
            send([.stopping, .status("stopping: finishing the file in hand, flushing the outbox")])
        }
    }

    /// Pings the watchdog if the pipeline moved recently, and refreshes `STATUS=` and gauges.
    ///
    /// Until the spool loop has gone round once it neither pings nor warns: that is a start in
    /// progress, not a stuck loop (`PipelineProgress.starting`). A loop that has not gone round
    /// one watchdog interval after READY=1 is reported, and so is a loop that stopped. While the
    /// spool directory is gone, `STATUS=` leads with it and no ping is sent (the spool loop
    /// logged it once when it went).
    private func heartbeat() {
        let snapshot = events.snapshot
        let counts = (try? ledger.outboxCounts()) ?? [:]
        events.outbox(counts)
        var status = snapshot.spoolGone.map { $0.status + "; " } ?? ""
        status += "backlog \(snapshot.backlog) files, outbox \(counts["pending", default: 0]) pending"
        if counts["inflight", default: 0] > 0 { status += " \(counts["inflight", default: 0]) in flight" }
        if counts["dead", default: 0] > 0 { status += ", \(counts["dead", default: 0]) dead" }
        if let newest = snapshot.newestEventTime {
            status += ", lag \(max(0, Int(DaemonClock.wallMilliseconds() / 1000) - newest))s"
        }
        status += ", \(snapshot.filesProcessed) files, \(snapshot.alerts) alerts"
        if !snapshot.disabledSinks.isEmpty {
            status += "; disabled sinks: \(snapshot.disabledSinks.sorted().joined(separator: ", "))"
        }
        if let fault = snapshot.ledgerFault {
            status += "; ledger failing (\(fault.operation.rawValue)): \(fault.error)"
        }
        if let unreadable = snapshot.unreadableSummary(detailed: false) { status += "; \(unreadable)" }
        var messages: [SystemdNotifier.Message] = [.status(status)]
        if let interval = notifier.watchdogInterval {
            switch PipelineProgress.assess(snapshot, now: .now, interval: interval) {
            case .progressing:
                messages.append(.watchdog)
            case .starting:
                break
            case .notStarted(let sinceReady):
                logger.warning(
                    "The spool loop has not gone round since start-up; withholding the watchdog ping.",
                    metadata: ["th.since_ready": "\(sinceReady.components.seconds)s"])
            case .stuck(let loops):
                logger.warning(
                    "Pipeline is not making progress; withholding the watchdog ping.",
                    metadata: ["th.stuck": "\(loops.joined(separator: ", "))"])
            case .spoolGone:
                break
            }
        }
        send(messages)
    }

    /// What keeps the pipeline from being healthy, for `/healthz`: empty when every loop reported
    /// progress within `interval` and the spool directory is watched; otherwise what is stuck
    /// (`stuck: …`) or that the spool directory is gone. Nil while the daemon is starting
    /// (`PipelineProgress.starting`).
    package func problems(within interval: Duration) -> [String]? {
        switch PipelineProgress.assess(events.snapshot, now: .now, interval: interval) {
        case .starting: nil
        case .progressing: []
        case .notStarted(let sinceReady):
            ["stuck: spool loop (not gone round in \(sinceReady.components.seconds)s since start-up)"]
        case .stuck(let loops): ["stuck: " + loops.joined(separator: ", ")]
        case .spoolGone(let reason): [reason]
        }
    }

    private func handleReload() {
        send([.reloading, .status("reloading configuration and rules")])
        do {
            let summary = try reload()
            events.reloaded(ok: true)
            logger.info("Reloaded.", metadata: ["th.summary": "\(summary)"])
            send([.ready, .status("reloaded: \(summary)")])
        } catch {
            events.reloaded(ok: false)
            logger.error(
                "Reload failed; keeping the running configuration and rules.", metadata: ["th.error": "\(error)"])
            send([.ready, .status("reload failed, old rules kept: \(error)")])
        }
    }

    private func send(_ messages: [SystemdNotifier.Message]) {
        do {
            try notifier.send(messages)
        } catch {
            logger.warning("Cannot notify systemd.", metadata: ["th.error": "\(error)"])
        }
    }
}
