import Foundation
package import Logging
import Prometheus
package import ServiceLifecycle
package import TrailDelivery
import TrailReader
package import TrailRules
import UnixSignals

/// Assembles `trailhound run` from a validated configuration: the ledger, the pipeline, the
/// spool loop, the outbox dispatchers (one per sink, under one supervisor that reloads change),
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
        let ledger = try Ledger(path: configuration.state.path, synchronous: configuration.state.synchronous)
        self.ledger = ledger
        if configuration.processed != .keep && configuration.state.synchronous == .normal {
            // The file goes as soon as its commit returns, and with `normal` that commit reaches
            // the disk only at the next checkpoint: a power loss in between loses both.
            logger.warning(
                "Processed files are deleted or moved after commits that are not yet on disk; a power loss could lose their alerts. Set state.synchronous: full.",
                metadata: ["th.processed": "\(configuration.processed)"])
        }
        let filter = try SpoolFilter(include: configuration.spool.include, exclude: configuration.spool.exclude)
        let recovered = try ledger.recoverInFlight(
            drop: Set(sinks.filter { $0.inDoubt == .drop }.map(\.name)), now: DaemonClock.wallMilliseconds())
        if recovered.resent > 0 || recovered.dropped > 0 {
            logger.warning(
                "Deliveries were in flight when the daemon last stopped.",
                metadata: ["th.resent": "\(recovered.resent)", "th.dropped": "\(recovered.dropped)"])
        }
        let pipelines = PipelineHolder(
            try Pipeline(
                rules: Daemon.ruleSet(rules, configuration),
                router: Router(routes: configuration.routes, mutes: configuration.mutes),
                sinks: sinks)
        )

        var metrics: DaemonMetrics?
        var observer: (any DaemonObserver)?
        if configuration.metricsListen != nil {
            let made = DaemonMetrics(registry: PrometheusCollectorRegistry())
            metrics = made
            observer = MetricsObserver(metrics: made)
        }
        let events = DaemonEvents(observer: observer)
        let doorbells = Doorbells(sinks.map(\.name))
        let dispatchers = DispatcherSupervisor(
            sinks: sinks, configuration: configuration, ledger: ledger, events: events, doorbells: doorbells,
            logger: logger)
        let processor = FileProcessor(
            options: .init(
                spool: configuration.spool.directory, limits: configuration.limits, settle: configuration.spool.settle,
                processed: configuration.processed, quarantine: configuration.quarantine,
                alarms: configuration.alarms),
            ledger: ledger, pipelines: pipelines, doorbells: doorbells, events: events, logger: logger)
        let notifier = SystemdNotifier(environment: environment)
        let lifecycle = await LifecycleService(
            notifier: notifier, events: events, ledger: ledger, logger: logger,
            onStopping: { dispatchers.shutdownBegan() },
            reload: {
                guard let reloader else { return "nothing to reload (no configuration file)" }
                let (fresh, rules) = try reloader()
                if fresh.spool.directory != configuration.spool.directory
                    || fresh.state.path != configuration.state.path || fresh.alarms != configuration.alarms
                {
                    logger.warning("Spool, state and alarms changes take effect at the next restart.")
                }
                let ruleSet = Daemon.ruleSet(rules, fresh)
                // Sinks first (refused whole if one cannot be built), then a pipeline that routes
                // only to them, then the dispatchers: no alert is ever routed to a missing sink.
                let prepared = try dispatchers.prepare(fresh.sinks, delivery: fresh.delivery, make: makeSink)
                pipelines.replace(
                    with: try Pipeline(
                        rules: ruleSet, router: Router(routes: fresh.routes, mutes: fresh.mutes), sinks: prepared.sinks)
                )
                dispatchers.install(prepared)
                return "\(ruleSet.rules.count) rules, \(prepared.plan.summary)"
            })
        var checkDeliveryGaps: (@Sendable () -> Void)?
        if let gap = configuration.spool.deliveryGap {
            let gapPolicy = DeliveryGapPolicy(gap)
            checkDeliveryGaps = {
                let now = DaemonClock.wallMilliseconds()
                do {
                    for decision in gapPolicy.decide(try ledger.streams(), now: Int(now / 1000)) {
                        let alert = decision.alert(severity: gap.severity, now: Int(now / 1000))
                        try ledger.apply(
                            decision, alert: RoutedAlert(alert: alert, deliveries: pipelines.pipeline.route(alert)),
                            now: now)
                        logger.warning(
                            "Delivery gap changed.",
                            metadata: ["th.rule": "\(alert.ruleID)", "th.title": "\(alert.title)"])
                    }
                    doorbells.ringAll()
                } catch {
                    logger.error("Cannot check delivery gaps.", metadata: ["th.error": "\(error)"])
                }
            }
        }
        let spool = SpoolService(
            spool: configuration.spool, filter: filter, processor: processor, ledger: ledger,
            retention: configuration.state.retention, alarms: configuration.alarms, events: events, logger: logger,
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
            }, checkDeliveryGaps: checkDeliveryGaps)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let listen = configuration.metricsListen, let metrics {
            let address = try ListenAddress(parsing: listen)
            if !address.isLoopback {
                logger.warning("Metrics listen on a non-loopback address.", metadata: ["th.listen": "\(listen)"])
            }
            let health = lifecycle
            services.append(
                .init(
                    service: MetricsServer(
                        address: address, metrics: metrics,
                        health: {
                            guard let problems = health.problems(within: .seconds(60)) else {
                                return .unhealthy("starting")
                            }
                            let snapshot = events.snapshot
                            // A failing ledger acknowledges nothing; say so while it lasts.
                            if let fault = snapshot.ledgerFault {
                                let seconds = (ContinuousClock.now - fault.since).components.seconds
                                return .unhealthy(
                                    "ledger failing for \(seconds)s (\(fault.operation.rawValue)): \(fault.error)")
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
                                states: snapshot.sinks, backlog: backlog, limit: dispatchers.delivery.unhealthyAfter,
                                now: now)
                            return delivery.status(healthy: "pipeline making progress", others: others)
                        }, logger: logger)))
        }
        services.append(.init(service: dispatchers, successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: spool, successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: lifecycle, successTerminationBehavior: .gracefullyShutdownGroup))
        group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
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
