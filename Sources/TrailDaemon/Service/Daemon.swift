import Foundation
package import Logging
import Prometheus
package import ServiceLifecycle
package import TrailDelivery
import TrailReader
package import TrailRules
import UnixSignals

/// Assembles `trailhound run` from a validated configuration: the ledger, the pipeline, the
/// spool source and the unit processor it hands files to, the outbox dispatchers (one per sink, under one supervisor that reloads change),
/// systemd integration and metrics, as services in one `ServiceGroup` that SIGTERM and SIGINT
/// shut down gracefully.
package struct Daemon {
    /// Reads the configuration and rules again (for SIGHUP); nil when the daemon runs without a
    /// configuration file.
    package typealias Reloader = @Sendable () throws -> (DaemonConfiguration, [Rule])

    package let group: ServiceGroup
    package let ledger: Ledger
    /// Held while the daemon lives: one `run` per ledger.
    let lock: LedgerLock

    /// Builds every part around `sinks` (the executable builds them from `configuration.sinks`,
    /// since only it knows the network sinks, and passes `makeSink` to build those a reload adds
    /// or changes); throws with an operator-readable reason when one cannot start.
    package init(
        configuration: DaemonConfiguration, rules: [Rule], sinks: [any AlertSink], logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment, reloader: Reloader? = nil,
        makeSink: @escaping DispatcherSupervisor.SinkBuilder
    ) async throws {
        lock = try LedgerLock(ledgerPath: configuration.state.path)
        let descriptors = DescriptorLimit.raise()
        logger.debug(
            "Descriptor limit.", metadata: ["th.soft": "\(descriptors.soft)", "th.hard": "\(descriptors.hard)"])
        let ledger = try Self.openLedger(configuration, sinks: sinks, logger: logger)
        self.ledger = ledger
        let pipelines = PipelineHolder(
            try Pipeline(
                rules: Daemon.ruleSet(rules, configuration),
                router: Router(routes: configuration.routes, mutes: configuration.mutes),
                sinks: sinks)
        )
        var metrics: DaemonMetrics?
        if configuration.metricsListen != nil { metrics = DaemonMetrics(registry: PrometheusCollectorRegistry()) }
        let events = DaemonEvents(observer: metrics.map { MetricsObserver(metrics: $0) as any DaemonObserver })
        let doorbells = Doorbells(sinks.map(\.name))
        let dispatchers = DispatcherSupervisor(
            sinks: sinks, configuration: configuration, ledger: ledger, events: events, doorbells: doorbells,
            logger: logger)
        let notifier = SystemdNotifier(environment: environment)
        let lifecycle = await LifecycleService(
            notifier: notifier, events: events, ledger: ledger, logger: logger,
            onStopping: { dispatchers.shutdownBegan() },
            reload: {
                guard let reloader else { return "nothing to reload (no configuration file)" }
                return try Self.reload(
                    reloader, running: configuration, pipelines: pipelines, dispatchers: dispatchers,
                    makeSink: makeSink, logger: logger)
            })
        let spool = try Self.spoolSource(
            configuration, ledger: ledger, pipelines: pipelines, doorbells: doorbells, events: events,
            notifier: notifier, logger: logger)
        // Every source hands its units to this one processor, which is all of the daemon that
        // reads, evaluates and commits them.
        let units = UnitProcessor(
            limits: configuration.limits, alarms: configuration.alarms, ledger: ledger, pipelines: pipelines,
            doorbells: doorbells, events: events, archive: spool)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let listen = configuration.metricsListen, let metrics {
            services.append(
                .init(
                    service: try Self.metricsServer(
                        listen: listen, metrics: metrics, lifecycle: lifecycle, events: events, ledger: ledger,
                        dispatchers: dispatchers, logger: logger)))
        }
        services.append(.init(service: dispatchers, successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(
            .init(
                service: SourceService(source: spool, intake: units),
                successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: lifecycle, successTerminationBehavior: .gracefullyShutdownGroup))
        group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }

    /// Opens the ledger and takes back what a previous run left in flight (resent or dropped, by
    /// each sink's `in_doubt`).
    private static func openLedger(
        _ configuration: DaemonConfiguration, sinks: [any AlertSink], logger: Logger
    ) throws -> Ledger {
        let ledger = try Ledger(path: configuration.state.path, synchronous: configuration.state.synchronous)
        if configuration.processed != .keep && configuration.state.synchronous == .normal {
            // The file goes as soon as its commit returns, and with `normal` that commit reaches
            // the disk only at the next checkpoint: a power loss in between loses both.
            logger.warning(
                "Processed files are deleted or moved after commits that are not yet on disk; a power loss could lose their alerts. Set state.synchronous: full.",
                metadata: ["th.processed": "\(configuration.processed)"])
        }
        let recovered = try ledger.recoverInFlight(
            drop: Set(sinks.filter { $0.inDoubt == .drop }.map(\.name)), now: DaemonClock.wallMilliseconds())
        if recovered.resent > 0 || recovered.dropped > 0 {
            logger.warning(
                "Deliveries were in flight when the daemon last stopped.",
                metadata: ["th.resent": "\(recovered.resent)", "th.dropped": "\(recovered.dropped)"])
        }
        return ledger
    }

    /// SIGHUP: the configuration and rules read again; returns what now runs, for the log.
    private static func reload(
        _ reloader: Reloader, running configuration: DaemonConfiguration, pipelines: PipelineHolder,
        dispatchers: DispatcherSupervisor, makeSink: DispatcherSupervisor.SinkBuilder, logger: Logger
    ) throws -> String {
        let (fresh, rules) = try reloader()
        if fresh.spool.directory != configuration.spool.directory
            || fresh.state.path != configuration.state.path || fresh.alarms != configuration.alarms
        {
            logger.warning("Spool, state and alarms changes take effect at the next restart.")
        }
        let ruleSet = Daemon.ruleSet(rules, fresh)
        // Sinks first (refused whole if one cannot be built), then a pipeline that routes only to
        // them, then the dispatchers: no alert is ever routed to a missing sink.
        let prepared = try dispatchers.prepare(fresh.sinks, delivery: fresh.delivery, make: makeSink)
        pipelines.replace(
            with: try Pipeline(
                rules: ruleSet, router: Router(routes: fresh.routes, mutes: fresh.mutes), sinks: prepared.sinks))
        dispatchers.install(prepared)
        return "\(ruleSet.rules.count) rules, \(prepared.plan.summary)"
    }

    /// The spool source, which says READY=1 once its first scan is in and runs the delivery-gap
    /// check when one is configured.
    private static func spoolSource(
        _ configuration: DaemonConfiguration, ledger: Ledger, pipelines: PipelineHolder, doorbells: Doorbells,
        events: DaemonEvents, notifier: SystemdNotifier, logger: Logger
    ) throws -> SpoolSource {
        let filter = try SpoolFilter(include: configuration.spool.include, exclude: configuration.spool.exclude)
        return SpoolSource(
            spool: configuration.spool, filter: filter,
            options: .init(
                spool: configuration.spool.directory, limits: configuration.limits, settle: configuration.spool.settle,
                processed: configuration.processed, quarantine: configuration.quarantine,
                alarms: configuration.alarms),
            ledger: ledger, retention: configuration.state.retention, events: events, logger: logger,
            onReady: {
                logger.info(
                    "Watching the spool.",
                    metadata: [
                        "th.spool": "\(configuration.spool.directory)",
                        "th.rules": "\(pipelines.pipeline.rules.rules.count)",
                        "th.state": "\(configuration.state.path)",
                    ])
                events.spoolReady()
                try? notifier.send([.ready, .status("watching \(configuration.spool.directory)")])
            },
            checkDeliveryGaps: configuration.spool.deliveryGap.map { gap in
                deliveryGapCheck(gap, ledger: ledger, pipelines: pipelines, doorbells: doorbells, logger: logger)
            })
    }

    /// The delivery-gap check: raises or clears each stream's gap alert as `DeliveryGapPolicy` decides.
    private static func deliveryGapCheck(
        _ gap: DaemonConfiguration.DeliveryGap, ledger: Ledger, pipelines: PipelineHolder, doorbells: Doorbells,
        logger: Logger
    ) -> @Sendable () -> Void {
        let gapPolicy = DeliveryGapPolicy(gap)
        return {
            let now = DaemonClock.wallMilliseconds()
            do {
                for decision in gapPolicy.decide(try ledger.streams(), now: Int(now / 1000)) {
                    let alert = decision.alert(severity: gap.severity, now: Int(now / 1000))
                    try ledger.apply(
                        decision, alert: RoutedAlert(alert: alert, deliveries: pipelines.pipeline.route(alert)),
                        now: now)
                    logger.warning(
                        "Delivery gap changed.", metadata: ["th.rule": "\(alert.ruleID)", "th.title": "\(alert.title)"])
                }
                doorbells.ringAll()
            } catch {
                logger.error("Cannot check delivery gaps.", metadata: ["th.error": "\(error)"])
            }
        }
    }

    /// The metrics and `/healthz` server.
    private static func metricsServer(
        listen: String, metrics: DaemonMetrics, lifecycle: LifecycleService, events: DaemonEvents, ledger: Ledger,
        dispatchers: DispatcherSupervisor, logger: Logger
    ) throws -> MetricsServer {
        let address = try ListenAddress(parsing: listen)
        if !address.isLoopback {
            logger.warning("Metrics listen on a non-loopback address.", metadata: ["th.listen": "\(listen)"])
        }
        return MetricsServer(
            address: address, metrics: metrics,
            health: {
                guard let problems = lifecycle.problems(within: .seconds(60)) else { return .unhealthy("starting") }
                let snapshot = events.snapshot
                // A failing ledger acknowledges nothing; say so while it lasts.
                if let fault = snapshot.ledgerFault {
                    let seconds = (ContinuousClock.now - fault.since).components.seconds
                    return .unhealthy("ledger failing for \(seconds)s (\(fault.operation.rawValue)): \(fault.error)")
                }
                var others = problems
                // Files that cannot be read hold their alerts back; retried, but say so.
                if let unreadable = snapshot.unreadableSummary(detailed: true) { others.append(unreadable) }
                let now = DaemonClock.wallMilliseconds()
                let backlog: [String: SinkBacklog]
                do {
                    backlog = try ledger.backlog(now: now)
                } catch {
                    // Without it a stalled sink would look idle.
                    return .unhealthy("cannot read the outbox to judge the sinks: \(error)")
                }
                let delivery = DeliveryHealth(
                    states: snapshot.sinks, backlog: backlog, limit: dispatchers.delivery.unhealthyAfter, now: now)
                return delivery.status(healthy: "pipeline making progress", others: others)
            }, logger: logger)
    }

    /// The enabled rules less the configuration's disabled ids, compiled with its limits.
    static func ruleSet(_ rules: [Rule], _ configuration: DaemonConfiguration) -> RuleSet {
        RuleSet(rules.filter { !configuration.disabledRules.contains($0.id) }, limits: configuration.limits.json)
    }

    /// Runs until SIGTERM or SIGINT has drained everything.
    package func run() async throws {
        try await group.run()
    }
}
