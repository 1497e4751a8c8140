import ArgumentParser
import Foundation
import Logging
import TrailDaemon
import TrailDelivery

/// `trailhound run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch a spool of CloudTrail files and deliver alerts (the service).",
        discussion: """
            Watches the spool recursively (inotify, plus a scan at start and every rescan interval), processes each new file once, oldest delivery time first, and delivers its alerts through the outbox to the configured sinks: stdout by default (JSON lines, or text on a terminal), or Slack, Teams, Discord, PagerDuty and signed JSON webhooks, each in order, at its provider's rate, with retries and digests of floods (`trailhound test-sink NAME` checks one). State (files done, the outbox, alarm windows) lives in a SQLite ledger, so a restart or a crash loses and repeats nothing.

            Without a configuration file, `trailhound run --spool DIR` uses the bundled rules, the stdout sink, and keeps state in $STATE_DIRECTORY or ./.trailhound. See deploy/trailhound.yaml for every setting.

            Signals: SIGTERM/SIGINT drain (finish the file in hand, flush the outbox within delivery.shutdown_budget); SIGHUP reloads the configuration, rules and sinks (new sinks start, removed ones stop with their undelivered alerts kept, changed ones restart), keeping the old ones if anything new is bad. Under systemd (Type=notify) it reports READY, STATUS, WATCHDOG, RELOADING and STOPPING.
            """
    )

    @OptionGroup var daemon: DaemonOptions
    @OptionGroup var rules: RulesOptions

    @Option(name: .long, help: ArgumentHelp("Log level (overrides log.level).", valueName: "level"))
    var logLevel: String?

    func run() async throws {
        var configuration = try daemon.load()
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ValidationError("unknown log level `\(logLevel)`")
            }
            configuration.logLevel = level
        }
        let overrides = rules.directories
        let loaded = try DaemonOptions.rules(configuration, override: overrides)
        let format = configuration.logFormat
        LoggingSystem.bootstrap(
            DaemonLogHandler.factory(level: configuration.logLevel, format: format), metadataProvider: nil)
        let logger = Logger(label: "trailhound")
        let options = daemon
        var reloader: Daemon.Reloader?
        if options.configPath != nil || !overrides.isEmpty {
            reloader = {
                let fresh = try options.load()
                return (fresh, try DaemonOptions.rules(fresh, override: overrides))
            }
        }
        let factory = SinkFactory(
            environment: ProcessInfo.processInfo.environment,
            configurationDirectory: configuration.configurationDirectory, logger: logger)
        let sinks: [any AlertSink]
        do {
            sinks = try factory.make(configuration.sinks)
        } catch {
            logger.critical("Cannot build the sinks.", metadata: ["th.error": "\(error)"])
            throw ExitCode(1)
        }
        let daemon = try await Daemon(
            configuration: configuration, rules: loaded, sinks: sinks, logger: logger, reloader: reloader,
            makeSink: { sink, path in try factory.make(sink, path: path) })
        try await daemon.run()
    }
}
