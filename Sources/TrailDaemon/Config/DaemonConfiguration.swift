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
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & 0o022 != 0 {
            throw .unreadable(
                file: path,
                reason:
                    "it is group- or world-writable (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod go-w \(path)`"
            )
        }
        if info.st_uid != 0 && info.st_uid != getuid() {
            throw .unreadable(file: path, reason: "it must be owned by root or by the user trailhound runs as")
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

    /// The second stage: checks every value and fills in the defaults.
    package init(
        _ file: ConfigurationFile, spoolOverride: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        guard let directory = spoolOverride ?? file.spool?.directory, !directory.isEmpty else {
            throw .invalidValue(path: "spool.directory", reason: "required (or give --spool DIR)")
        }
        self.init(spool: directory, environment: environment)
        if let spool = file.spool {
            self.spool.include = spool.include ?? []
            self.spool.exclude = spool.exclude ?? []
            for (key, globs) in [("include", self.spool.include), ("exclude", self.spool.exclude)] {
                for (index, glob) in globs.enumerated() {
                    try Self.validate(glob: glob, path: "spool.\(key)[\(index)]")
                }
            }
            if let interval = spool.rescanInterval?.duration {
                guard interval >= .seconds(1) else {
                    throw .invalidValue(path: "spool.rescan_interval", reason: "must be at least 1s")
                }
                self.spool.rescanInterval = interval
            }
            if let settle = spool.settleTime?.duration { self.spool.settle = settle }
            if let retryMax = spool.retryMax?.duration {
                guard retryMax >= .seconds(1) else {
                    throw .invalidValue(path: "spool.retry_max", reason: "must be at least 1s")
                }
                self.spool.maxRetryDelay = retryMax
            }
            if let gap = spool.deliveryGap {
                guard let after = gap.after?.duration, after >= .seconds(60) else {
                    throw .invalidValue(
                        path: "spool.delivery_gap.after",
                        reason: "required, at least 1m (CloudTrail delivers every ~5m)")
                }
                var deliveryGap = DeliveryGap(after: after)
                deliveryGap.accounts = Set(gap.accounts ?? [])
                deliveryGap.regions = Set(gap.regions ?? [])
                if let severity = gap.severity {
                    deliveryGap.severity = try Self.severity(severity, path: "spool.delivery_gap.severity")
                }
                self.spool.deliveryGap = deliveryGap
            }
        }
        if let rules = file.rules {
            ruleDirectories = rules.directories ?? []
            disabledRules = Set(rules.disabled ?? [])
        }
        if let state = file.state {
            if let path = state.path {
                guard !path.isEmpty else { throw .invalidValue(path: "state.path", reason: "must not be empty") }
                self.state.path = path
            }
            if let synchronous = state.synchronous {
                guard let value = Synchronous(rawValue: synchronous) else {
                    throw .invalidValue(path: "state.synchronous", reason: "`\(synchronous)` is not normal or full")
                }
                self.state.synchronous = value
            }
            if let retention = state.retention?.duration { self.state.retention = retention }
        }
        if let sinks = file.sinks {
            self.sinks = try sinks.enumerated().map { (index, sink) throws(ConfigurationError) in
                try Self.sink(sink, path: "sinks[\(index)]")
            }
            var names = Set<String>()
            for (index, sink) in self.sinks.enumerated() where !names.insert(sink.name).inserted {
                throw .invalidValue(path: "sinks[\(index)].name", reason: "`\(sink.name)` names two sinks")
            }
            if file.routes == nil { routes = [Route(sinks: self.sinks.map(\.name))] }
        }
        if let routes = file.routes {
            let names = Set(self.sinks.map(\.name))
            self.routes = try routes.enumerated().map { (index, route) throws(ConfigurationError) in
                let path = "routes[\(index)]"
                guard let sinks = route.sinks, !sinks.isEmpty else {
                    throw .invalidValue(path: path + ".sinks", reason: "required: the sinks this route sends to")
                }
                for sink in sinks where !names.contains(sink) {
                    throw .invalidValue(
                        path: path + ".sinks",
                        reason: "no sink is named `\(sink)` (sinks: \(names.sorted().joined(separator: ", ")))")
                }
                var result = Route(sinks: sinks, rules: route.rules ?? [])
                for (index, glob) in result.rules.enumerated() {
                    try Self.validate(glob: glob, path: path + ".rules[\(index)]")
                }
                for severity in route.severities ?? [] {
                    result.severities.insert(try Self.severity(severity, path: path + ".severities"))
                }
                if let minimum = route.minSeverity {
                    result.minSeverity = try Self.severity(minimum, path: path + ".min_severity")
                }
                return result
            }
        }
        if let mutes = file.mute {
            self.mutes = try mutes.enumerated().map { (index, mute) throws(ConfigurationError) in
                try Self.mute(mute, path: "mute[\(index)]", sinks: Set(self.sinks.map(\.name)))
            }
        }
        if let processed = file.processed {
            switch processed.action ?? "keep" {
            case "keep": self.processed = .keep
            case "delete": self.processed = .delete
            case "move":
                guard let directory = processed.directory, !directory.isEmpty else {
                    throw .invalidValue(path: "processed.directory", reason: "required when action is move")
                }
                self.processed = .move(to: directory)
            case let other:
                throw .invalidValue(path: "processed.action", reason: "`\(other)` is not keep, delete or move")
            }
        }
        if let quarantine = file.quarantine {
            switch quarantine.action ?? (quarantine.directory == nil ? "mark" : "move") {
            case "mark": self.quarantine = .mark
            case "move":
                self.quarantine = .move(
                    to: quarantine.directory ?? (self.state.path as NSString).deletingLastPathComponent + "/quarantine")
            case let other:
                throw .invalidValue(path: "quarantine.action", reason: "`\(other)` is not mark or move")
            }
        }
        if let limits = file.limits {
            if let bytes = limits.maxFileBytes?.bytes {
                guard bytes >= 1 << 20 else {
                    throw .invalidValue(path: "limits.max_file_bytes", reason: "must be at least 1MiB")
                }
                self.limits.maxFileBytes = bytes
            }
            if let bytes = limits.maxInflatedBytes?.bytes {
                guard bytes >= 1 << 20 else {
                    throw .invalidValue(path: "limits.max_inflated_bytes", reason: "must be at least 1MiB")
                }
                self.limits.maxInflatedBytes = bytes
            }
            if let ratio = limits.maxExpansionRatio {
                guard ratio >= 10 else {
                    throw .invalidValue(
                        path: "limits.max_expansion_ratio", reason: "must be at least 10 (real logs reach about 10:1)")
                }
                self.limits.maxExpansionRatio = ratio
            }
            if let bytes = limits.maxRecordBytes?.bytes {
                guard bytes >= 4096, bytes <= Int(Int32.max) else {
                    throw .invalidValue(path: "limits.max_record_bytes", reason: "must be between 4KiB and 2GiB")
                }
                self.limits.json.maxRecordBytes = bytes
            }
            if let depth = limits.maxDepth {
                guard (8...4096).contains(depth) else {
                    throw .invalidValue(path: "limits.max_depth", reason: "must be between 8 and 4096")
                }
                self.limits.json.maxDepth = depth
            }
        }
        if let listen = file.metrics?.listen, !listen.isEmpty { metricsListen = listen }
        if let log = file.log {
            if let level = log.level {
                guard let value = Logger.Level(rawValue: level) else {
                    throw .invalidValue(
                        path: "log.level",
                        reason:
                            "`\(level)` is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                logLevel = value
            }
            if let format = log.format {
                guard let value = LogFormat(rawValue: format) else {
                    throw .invalidValue(path: "log.format", reason: "`\(format)` is not auto, text, json or journal")
                }
                logFormat = value
            }
        }
        if let delivery = file.delivery {
            if let attempts = delivery.maxAttempts {
                guard attempts >= 1 else {
                    throw .invalidValue(path: "delivery.max_attempts", reason: "must be at least 1")
                }
                self.delivery.maxAttempts = attempts
            }
            if let age = delivery.maxAge?.duration {
                guard age >= .seconds(1) else {
                    throw .invalidValue(path: "delivery.max_age", reason: "must be at least 1s")
                }
                self.delivery.maxAge = age
            }
            if let initial = delivery.retryInitial?.duration { self.delivery.retryInitial = initial }
            if let maximum = delivery.retryMax?.duration { self.delivery.retryMax = maximum }
            guard self.delivery.retryInitial <= self.delivery.retryMax else {
                throw .invalidValue(path: "delivery.retry_initial", reason: "must not exceed delivery.retry_max")
            }
            if let budget = delivery.shutdownBudget?.duration { self.delivery.shutdownBudget = budget }
            if let after = delivery.unhealthyAfter?.duration {
                guard after >= .seconds(1) else {
                    throw .invalidValue(path: "delivery.unhealthy_after", reason: "must be at least 1s")
                }
                self.delivery.unhealthyAfter = after
            }
        }
        if let alarms = file.alarms { self.alarms = try Self.alarms(alarms) }
        if case .move(let directory) = processed {
            try Self.refuseInsideSpool(directory, key: "processed.directory", spool: spool.directory)
        }
        if case .move(let directory) = quarantine {
            try Self.refuseInsideSpool(directory, key: "quarantine.directory", spool: spool.directory)
        }
    }

    /// Refuses a directory files are moved to when it lies inside the spool: a moved file would
    /// be seen there as new, read and moved again, one level deeper each time.
    static func refuseInsideSpool(_ directory: String, key: String, spool: String) throws(ConfigurationError) {
        let target = resolved(directory)
        let root = resolved(spool)
        guard target == root || target.hasPrefix(root == "/" ? "/" : root + "/") else { return }
        throw .invalidValue(
            path: key,
            reason:
                "`\(directory)` is inside the spool `\(spool)`; files moved there would be read again as new ones. Use a directory outside the spool"
        )
    }

    /// `path` made absolute, with `.`/`..` and the symbolic links of its longest existing prefix
    /// resolved (the rest need not exist yet).
    private static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = (absolute as NSString).standardizingPath
        var rest: [String] = []
        while existing != "/" && !FileManager.default.fileExists(atPath: existing) {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let real = (existing as NSString).resolvingSymlinksInPath
        return rest.reduce(real) { ($0 as NSString).appendingPathComponent($1) }
    }

    static func validate(glob: String, path: String) throws(ConfigurationError) {
        do {
            _ = try SpoolGlob(glob)
        } catch {
            throw .invalidValue(path: path, reason: "\(error)")
        }
    }

    private static func severity(_ text: String, path: String) throws(ConfigurationError) -> RuleSeverity {
        guard let severity = RuleSeverity(rawValue: text) else {
            throw .invalidValue(
                path: path,
                reason: "`\(text)` is not a severity (\(RuleSeverity.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return severity
    }

}
