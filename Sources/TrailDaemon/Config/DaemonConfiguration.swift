import Foundation
package import Logging
package import TrailDelivery
import TrailJSON
package import TrailReader
package import TrailRules
import Yams

/// The validated configuration of `trailhound run`: every value present, every default in this
/// file and nowhere else.
///
/// Built from a `ConfigurationFile` (the YAML as written) and the process environment, which
/// supplies the state directory (`$STATE_DIRECTORY` under systemd).
package struct DaemonConfiguration: Sendable {
    package struct Spool: Sendable {
        /// The root watched recursively.
        package var directory: String
        /// Globs on paths relative to the root; empty means CloudTrail log file names.
        package var include: [String] = []
        package var exclude: [String] = []
        package var rescanInterval: Duration = .seconds(300)
        /// How long a file written without a close must stay unchanged before it is read.
        package var settle: Duration = .seconds(10)
        /// The longest wait between attempts at a file that cannot be read for a reason of the
        /// environment (descriptors, permissions, I/O); waits double from `settle` up to this.
        package var maxRetryDelay: Duration = .seconds(300)
        /// The delivery-gap alert, when enabled.
        package var deliveryGap: DeliveryGap?
    }

    /// An alert when an account and region delivers no file for `after`, and a notice when
    /// files resume.
    package struct DeliveryGap: Sendable, Hashable {
        package var after: Duration
        /// Only these accounts and regions (empty: every one seen).
        package var accounts: Set<String> = []
        package var regions: Set<String> = []
        package var severity: RuleSeverity = .high
    }

    package enum Synchronous: String, Sendable, CaseIterable {
        /// Survives process crashes (WAL): the default.
        case normal
        /// Also survives power loss, at the cost of an fsync per commit.
        case full

        /// SQLite's number for the level (`PRAGMA synchronous` reads it back).
        package var sqliteLevel: Int {
            switch self {
            case .normal: 1
            case .full: 2
            }
        }
    }

    package struct State: Sendable {
        package var path: String
        package var synchronous: Synchronous = .normal
        /// How long delivered alerts and done-file rows are kept.
        package var retention: Duration = .seconds(30 * 86_400)
    }

    /// Which alerts go to which sinks: a route takes an alert when every condition it has holds.
    package struct Route: Sendable, Hashable {
        package var sinks: [String]
        /// Globs on rule ids (`*` any run of characters); empty: every rule.
        package var rules: [String] = []
        /// Severities taken; empty: every severity at or above `minSeverity`.
        package var severities: Set<RuleSeverity> = []
        package var minSeverity: RuleSeverity?
    }

    package enum ProcessedAction: Sendable, Hashable {
        case keep
        case delete
        case move(to: String)
    }

    package enum QuarantineAction: Sendable, Hashable {
        /// Record the file as quarantined in the ledger and leave it in place.
        case mark
        /// Also move it to a directory (falls back to marking when the spool is read-only).
        case move(to: String)
    }

    package struct Delivery: Sendable, Hashable {
        /// Attempts before a delivery is dead; nil: only `maxAge` limits retries.
        package var maxAttempts: Int?
        /// How long an alert may wait for delivery (through retries) before it is dead.
        package var maxAge: Duration = .seconds(86_400)
        package var retryInitial: Duration = .seconds(1)
        package var retryMax: Duration = .seconds(300)
        /// How long a SIGTERM waits for pending deliveries before exiting; a delivery still in
        /// flight then is cancelled and left in doubt, as after a crash.
        package var shutdownBudget: Duration = .seconds(10)
        /// `/healthz` answers 503 when a sink with alerts waiting has not delivered for this long.
        package var unhealthyAfter: Duration = .seconds(900)
    }

    package var spool: Spool
    /// Rule directories; empty means the bundled pack (the executable knows where it is).
    package var ruleDirectories: [String] = []
    package var disabledRules: Set<String> = []
    package var state: State
    package var sinks: [Sink] = [Sink(name: "stdout", section: StdoutSection())]
    package var routes: [Route] = [Route(sinks: ["stdout"])]
    package var processed: ProcessedAction = .keep
    package var quarantine: QuarantineAction = .mark
    package var limits: ReaderLimits = .default
    /// `host:port` of the Prometheus endpoint; nil: off.
    package var metricsListen: String?
    package var logLevel: Logger.Level = .info
    /// `auto`, `text`, `json` or `journal`.
    package var logFormat = LogFormat.auto
    package var delivery = Delivery()
    /// Rules whose alerts go nowhere (or nowhere near some sinks), for good or until a time.
    package var mutes: [Mute] = []
    /// How late alarm matches may arrive, and how far ahead of the clock they may be.
    package var alarms = Alarms()
    /// The directory of the configuration file: relative `*_file` paths are read from there
    /// (or from `$CREDENTIALS_DIRECTORY`, when systemd passed credentials).
    package var configurationDirectory: String?

    /// The default configuration for a spool: bundled rules, the stdout sink, state under
    /// `$STATE_DIRECTORY` or `./.trailhound`.
    package init(spool: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.spool = Spool(directory: spool)
        state = State(path: Self.stateDirectory(environment) + "/trailhound.sqlite")
    }

    /// The directory state lives in when the configuration does not say.
    package static func stateDirectory(_ environment: [String: String]) -> String {
        if let directory = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !directory.isEmpty {
            return String(directory)
        }
        return FileManager.default.currentDirectoryPath + "/.trailhound"
    }

    /// Reads and validates a configuration file, refusing one that others could have written.
    /// `sinkKinds` are the kinds of sink its `sinks` may name (the executable lists them).
    package static func load(
        path: String, spoolOverride: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, sinkKinds: SinkKinds
    ) throws(ConfigurationError) -> DaemonConfiguration {
        switch TrustedFile.problem(path, forbidden: 0o022, regular: false) {
        case .unreadable(let reason):
            throw .unreadable(file: path, reason: reason)
        case .mode(let mode):
            throw .unreadable(
                file: path,
                reason: "it is group- or world-writable (mode \(String(mode, radix: 8))); run `chmod go-w \(path)`")
        case .foreignOwner:
            throw .unreadable(file: path, reason: "it must be owned by root or by the user trailhound runs as")
        case .notRegular, nil:
            break
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        let file = try parse(String(decoding: data, as: UTF8.self), name: path, sinkKinds: sinkKinds)
        var configuration = try DaemonConfiguration(file, spoolOverride: spoolOverride, environment: environment)
        configuration.configurationDirectory = (path as NSString).deletingLastPathComponent
        return configuration
    }

    /// The first stage: YAML to the mirror, with unknown keys and wrong types reported by key path.
    /// Each sink's keys are decoded by the kinds of `sinkKinds`.
    package static func parse(
        _ text: String, name: String, sinkKinds: SinkKinds
    ) throws(ConfigurationError) -> ConfigurationFile {
        do {
            if text.allSatisfy(\.isWhitespace) { return ConfigurationFile() }
            return try YAMLDecoder().decode(
                KeyChecked<ConfigurationFile>.self, from: text, userInfo: [ConfigurationFile.Sink.kindsKey: sinkKinds]
            ).value
        } catch let error as ConfigurationError {
            throw error
        } catch let error as DecodingError {
            if let cause = Self.underlying(error) { throw cause }
            throw Self.describe(error, file: name)
        } catch {
            throw .malformed(file: name, reason: "not valid YAML: \(error)")
        }
    }

    /// A `ConfigurationError` thrown inside the decoder, which the decoder may have wrapped.
    private static func underlying(_ error: any Error) -> ConfigurationError? {
        if let error = error as? ConfigurationError { return error }
        guard let error = error as? DecodingError else { return nil }
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            return context.underlyingError.flatMap(underlying)
        @unknown default:
            return nil
        }
    }

    private static func describe(_ error: DecodingError, file name: String) -> ConfigurationError {
        do {
            throw error
        } catch let DecodingError.typeMismatch(type, context) {
            return .malformed(
                file: name, reason: "`\(ConfigurationError.keyPath(context.codingPath))`: expected \(describe(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            return .malformed(
                file: name, reason: "`\(ConfigurationError.keyPath(context.codingPath))`: expected \(describe(type))")
        } catch let DecodingError.dataCorrupted(context) {
            let reason = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            if context.codingPath.isEmpty { return .malformed(file: name, reason: "not valid YAML: \(reason)") }
            return .malformed(file: name, reason: "`\(ConfigurationError.keyPath(context.codingPath))`: \(reason)")
        } catch {
            return .malformed(file: name, reason: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is [String].Type: "a list of strings"
        default: "\(type)".lowercased()
        }
    }

    /// The second stage: checks every value and fills in the defaults. Each section is applied
    /// over the defaults (the properties' initial values, the only place they are written) by a
    /// function of its own; their fixed order decides which error a file with several gets.
    package init(
        _ file: ConfigurationFile, spoolOverride: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        guard let directory = spoolOverride ?? file.spool?.directory, !directory.isEmpty else {
            throw .invalidValue(path: "spool.directory", reason: "required (or give --spool DIR)")
        }
        self.init(spool: directory, environment: environment)
        if let spool = file.spool { try apply(spool: spool) }
        if let rules = file.rules { apply(rules: rules) }
        if let state = file.state { try apply(state: state) }
        if let sinks = file.sinks {
            try apply(sinks: sinks)
            if file.routes == nil { routes = [Route(sinks: self.sinks.map(\.name))] }
        }
        if let routes = file.routes { try apply(routes: routes) }
        if let mutes = file.mute { try apply(mutes: mutes) }
        if let processed = file.processed { try apply(processed: processed) }
        if let quarantine = file.quarantine { try apply(quarantine: quarantine) }
        if let limits = file.limits { try apply(limits: limits) }
        if let listen = file.metrics?.listen, !listen.isEmpty { metricsListen = listen }
        if let log = file.log { try apply(log: log) }
        if let delivery = file.delivery { try apply(delivery: delivery) }
        if let alarms = file.alarms { self.alarms = try Self.alarms(alarms) }
        try refuseMovesInsideSpool()
    }

    /// The `rules:` section: the rule directories and the rules disabled.
    private mutating func apply(rules written: ConfigurationFile.Rules) {
        if let directories = written.directories { ruleDirectories = directories }
        if let disabled = written.disabled { disabledRules = Set(disabled) }
    }

    /// The `state:` section: where the ledger is, how durable its commits are, how long rows stay.
    private mutating func apply(state written: ConfigurationFile.State) throws(ConfigurationError) {
        if let path = written.path {
            guard !path.isEmpty else { throw .invalidValue(path: "state.path", reason: "must not be empty") }
            state.path = path
        }
        if let synchronous = written.synchronous {
            guard let value = Synchronous(rawValue: synchronous) else {
                throw .invalidValue(path: "state.synchronous", reason: "`\(synchronous)` is not normal or full")
            }
            state.synchronous = value
        }
        if let retention = written.retention?.duration { state.retention = retention }
    }

    /// The `limits:` section: the reader's caps, each with a floor below which real logs fail.
    private mutating func apply(limits written: ConfigurationFile.Limits) throws(ConfigurationError) {
        if let bytes = written.maxFileBytes?.bytes {
            guard bytes >= 1 << 20 else {
                throw .invalidValue(path: "limits.max_file_bytes", reason: "must be at least 1MiB")
            }
            limits.maxFileBytes = bytes
        }
        if let bytes = written.maxInflatedBytes?.bytes {
            guard bytes >= 1 << 20 else {
                throw .invalidValue(path: "limits.max_inflated_bytes", reason: "must be at least 1MiB")
            }
            limits.maxInflatedBytes = bytes
        }
        if let ratio = written.maxExpansionRatio {
            guard ratio >= 10 else {
                throw .invalidValue(
                    path: "limits.max_expansion_ratio", reason: "must be at least 10 (real logs reach about 10:1)")
            }
            limits.maxExpansionRatio = ratio
        }
        if let bytes = written.maxRecordBytes?.bytes {
            guard bytes >= 4096, bytes <= Int(Int32.max) else {
                throw .invalidValue(path: "limits.max_record_bytes", reason: "must be between 4KiB and 2GiB")
            }
            limits.json.maxRecordBytes = bytes
        }
        if let depth = written.maxDepth {
            guard (8...4096).contains(depth) else {
                throw .invalidValue(path: "limits.max_depth", reason: "must be between 8 and 4096")
            }
            limits.json.maxDepth = depth
        }
    }

    /// The `log:` section: the level and the format.
    private mutating func apply(log written: ConfigurationFile.Log) throws(ConfigurationError) {
        if let level = written.level {
            guard let value = Logger.Level(rawValue: level) else {
                throw .invalidValue(
                    path: "log.level",
                    reason: "`\(level)` is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            logLevel = value
        }
        if let format = written.format {
            guard let value = LogFormat(rawValue: format) else {
                throw .invalidValue(path: "log.format", reason: "`\(format)` is not auto, text, json or journal")
            }
            logFormat = value
        }
    }

    /// The `delivery:` section: retries, how long an alert may wait, the shutdown budget and when
    /// a sink counts as unhealthy.
    private mutating func apply(delivery written: ConfigurationFile.Delivery) throws(ConfigurationError) {
        if let attempts = written.maxAttempts {
            guard attempts >= 1 else {
                throw .invalidValue(path: "delivery.max_attempts", reason: "must be at least 1")
            }
            delivery.maxAttempts = attempts
        }
        if let age = written.maxAge?.duration {
            guard age >= .seconds(1) else {
                throw .invalidValue(path: "delivery.max_age", reason: "must be at least 1s")
            }
            delivery.maxAge = age
        }
        if let initial = written.retryInitial?.duration { delivery.retryInitial = initial }
        if let maximum = written.retryMax?.duration { delivery.retryMax = maximum }
        guard delivery.retryInitial <= delivery.retryMax else {
            throw .invalidValue(path: "delivery.retry_initial", reason: "must not exceed delivery.retry_max")
        }
        if let budget = written.shutdownBudget?.duration { delivery.shutdownBudget = budget }
        if let after = written.unhealthyAfter?.duration {
            guard after >= .seconds(1) else {
                throw .invalidValue(path: "delivery.unhealthy_after", reason: "must be at least 1s")
            }
            delivery.unhealthyAfter = after
        }
    }

    static func validate(glob: String, path: String) throws(ConfigurationError) {
        do {
            _ = try SpoolGlob(glob)
        } catch {
            throw .invalidValue(path: path, reason: "\(error)")
        }
    }

    /// `text` as a severity, refused at `path` with the severities there are.
    static func severity(_ text: String, path: String) throws(ConfigurationError) -> RuleSeverity {
        guard let severity = RuleSeverity(rawValue: text) else {
            throw .invalidValue(
                path: path,
                reason: "`\(text)` is not a severity (\(RuleSeverity.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return severity
    }

}
