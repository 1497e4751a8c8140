import TrailDelivery

/// The configuration file as written: every key optional, unknown keys rejected with their path
/// (each section is `KeyCheckedDecodable`: its fields and keys, decoding synthesized).
///
/// This is the first of two stages (architecture.md, house style 4): it only mirrors the YAML.
/// `DaemonConfiguration` validates it and fills in the defaults, which live there and only there.
package struct ConfigurationFile: KeyCheckedDecodable, Sendable {
    var spool: Spool?
    var rules: Rules?
    var state: State?
    var sinks: [Sink]?
    var routes: [Route]?
    var processed: Processed?
    var quarantine: Quarantine?
    var limits: Limits?
    var metrics: Metrics?
    var log: Log?
    var delivery: Delivery?
    var mute: [Mute]?
    var alarms: Alarms?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case spool, rules, state, sinks, routes, processed, quarantine, limits, metrics, log, delivery, mute, alarms
    }

    package init() {}

    struct Spool: KeyCheckedDecodable, Sendable {
        var directory: String?
        var include: [String]?
        var exclude: [String]?
        var rescanInterval: ConfigDuration?
        var settleTime: ConfigDuration?
        var retryMax: ConfigDuration?
        var deliveryGap: DeliveryGap?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case directory, include, exclude
            case rescanInterval = "rescan_interval"
            case settleTime = "settle_time"
            case retryMax = "retry_max"
            case deliveryGap = "delivery_gap"
        }
    }

    struct DeliveryGap: KeyCheckedDecodable, Sendable {
        var after: ConfigDuration?
        var accounts: [String]?
        var regions: [String]?
        var severity: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case after, accounts, regions, severity }
    }

    struct Rules: KeyCheckedDecodable, Sendable {
        var directories: [String]?
        var disabled: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable { case directories, disabled }
    }

    struct State: KeyCheckedDecodable, Sendable {
        var path: String?
        var synchronous: String?
        var retention: ConfigDuration?

        enum CodingKeys: String, CodingKey, CaseIterable { case path, synchronous, retention }
    }

    struct Route: KeyCheckedDecodable, Sendable {
        var sinks: [String]?
        var rules: [String]?
        var severities: [String]?
        var minSeverity: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case sinks, rules, severities
            case minSeverity = "min_severity"
        }
    }

    struct Processed: KeyCheckedDecodable, Sendable {
        var action: String?
        var directory: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case action, directory }
    }

    struct Quarantine: KeyCheckedDecodable, Sendable {
        var action: String?
        var directory: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case action, directory }
    }

    struct Limits: KeyCheckedDecodable, Sendable {
        var maxFileBytes: ConfigByteSize?
        var maxInflatedBytes: ConfigByteSize?
        var maxExpansionRatio: Int?
        var maxRecordBytes: ConfigByteSize?
        var maxDepth: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxFileBytes = "max_file_bytes"
            case maxInflatedBytes = "max_inflated_bytes"
            case maxExpansionRatio = "max_expansion_ratio"
            case maxRecordBytes = "max_record_bytes"
            case maxDepth = "max_depth"
        }
    }

    struct Metrics: KeyCheckedDecodable, Sendable {
        var listen: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case listen }
    }

    struct Log: KeyCheckedDecodable, Sendable {
        var level: String?
        var format: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case level, format }
    }

    struct Delivery: KeyCheckedDecodable, Sendable {
        var maxAttempts: Int?
        var maxAge: ConfigDuration?
        var retryInitial: ConfigDuration?
        var retryMax: ConfigDuration?
        var shutdownBudget: ConfigDuration?
        var unhealthyAfter: ConfigDuration?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxAttempts = "max_attempts"
            case maxAge = "max_age"
            case retryInitial = "retry_initial"
            case retryMax = "retry_max"
            case shutdownBudget = "shutdown_budget"
            case unhealthyAfter = "unhealthy_after"
        }
    }
}
