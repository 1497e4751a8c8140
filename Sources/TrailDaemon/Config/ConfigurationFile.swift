import TrailDelivery

/// The configuration file as written: every key optional, unknown keys rejected with their path.
///
/// This is the first of two stages (architecture.md, house style 4): it only mirrors the YAML.
/// `DaemonConfiguration` validates it and fills in the defaults, which live there and only there.
package struct ConfigurationFile: Decodable, Sendable {
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

    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        spool = try c.decodeIfPresent(Spool.self, forKey: .spool)
        rules = try c.decodeIfPresent(Rules.self, forKey: .rules)
        state = try c.decodeIfPresent(State.self, forKey: .state)
        sinks = try c.decodeIfPresent([Sink].self, forKey: .sinks)
        routes = try c.decodeIfPresent([Route].self, forKey: .routes)
        processed = try c.decodeIfPresent(Processed.self, forKey: .processed)
        quarantine = try c.decodeIfPresent(Quarantine.self, forKey: .quarantine)
        limits = try c.decodeIfPresent(Limits.self, forKey: .limits)
        metrics = try c.decodeIfPresent(Metrics.self, forKey: .metrics)
        log = try c.decodeIfPresent(Log.self, forKey: .log)
        delivery = try c.decodeIfPresent(Delivery.self, forKey: .delivery)
        mute = try c.decodeIfPresent([Mute].self, forKey: .mute)
        alarms = try c.decodeIfPresent(Alarms.self, forKey: .alarms)
    }

    struct Spool: Decodable, Sendable {
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

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            directory = try c.decodeIfPresent(String.self, forKey: .directory)
            include = try c.decodeIfPresent([String].self, forKey: .include)
            exclude = try c.decodeIfPresent([String].self, forKey: .exclude)
            rescanInterval = try c.decodeIfPresent(ConfigDuration.self, forKey: .rescanInterval)
            settleTime = try c.decodeIfPresent(ConfigDuration.self, forKey: .settleTime)
            retryMax = try c.decodeIfPresent(ConfigDuration.self, forKey: .retryMax)
            deliveryGap = try c.decodeIfPresent(DeliveryGap.self, forKey: .deliveryGap)
        }
    }

    struct DeliveryGap: Decodable, Sendable {
        var after: ConfigDuration?
        var accounts: [String]?
        var regions: [String]?
        var severity: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case after, accounts, regions, severity }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            after = try c.decodeIfPresent(ConfigDuration.self, forKey: .after)
            accounts = try c.decodeIfPresent([String].self, forKey: .accounts)
            regions = try c.decodeIfPresent([String].self, forKey: .regions)
            severity = try c.decodeIfPresent(String.self, forKey: .severity)
        }
    }

    struct Rules: Decodable, Sendable {
        var directories: [String]?
        var disabled: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable { case directories, disabled }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            directories = try c.decodeIfPresent([String].self, forKey: .directories)
            disabled = try c.decodeIfPresent([String].self, forKey: .disabled)
        }
    }

    struct State: Decodable, Sendable {
        var path: String?
        var synchronous: String?
        var retention: ConfigDuration?

        enum CodingKeys: String, CodingKey, CaseIterable { case path, synchronous, retention }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path)
            synchronous = try c.decodeIfPresent(String.self, forKey: .synchronous)
            retention = try c.decodeIfPresent(ConfigDuration.self, forKey: .retention)
        }
    }

    struct Route: Decodable, Sendable {
        var sinks: [String]?
        var rules: [String]?
        var severities: [String]?
        var minSeverity: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case sinks, rules, severities
            case minSeverity = "min_severity"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sinks = try c.decodeIfPresent([String].self, forKey: .sinks)
            rules = try c.decodeIfPresent([String].self, forKey: .rules)
            severities = try c.decodeIfPresent([String].self, forKey: .severities)
            minSeverity = try c.decodeIfPresent(String.self, forKey: .minSeverity)
        }
    }

    struct Processed: Decodable, Sendable {
        var action: String?
        var directory: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case action, directory }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            action = try c.decodeIfPresent(String.self, forKey: .action)
            directory = try c.decodeIfPresent(String.self, forKey: .directory)
        }
    }

    struct Quarantine: Decodable, Sendable {
        var action: String?
        var directory: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case action, directory }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            action = try c.decodeIfPresent(String.self, forKey: .action)
            directory = try c.decodeIfPresent(String.self, forKey: .directory)
        }
    }

    struct Limits: Decodable, Sendable {
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

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxFileBytes = try c.decodeIfPresent(ConfigByteSize.self, forKey: .maxFileBytes)
            maxInflatedBytes = try c.decodeIfPresent(ConfigByteSize.self, forKey: .maxInflatedBytes)
            maxExpansionRatio = try c.decodeIfPresent(Int.self, forKey: .maxExpansionRatio)
            maxRecordBytes = try c.decodeIfPresent(ConfigByteSize.self, forKey: .maxRecordBytes)
            maxDepth = try c.decodeIfPresent(Int.self, forKey: .maxDepth)
        }
    }

    struct Metrics: Decodable, Sendable {
        var listen: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case listen }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            listen = try c.decodeIfPresent(String.self, forKey: .listen)
        }
    }

    struct Log: Decodable, Sendable {
        var level: String?
        var format: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case level, format }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            level = try c.decodeIfPresent(String.self, forKey: .level)
            format = try c.decodeIfPresent(String.self, forKey: .format)
        }
    }

    struct Delivery: Decodable, Sendable {
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

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts)
            maxAge = try c.decodeIfPresent(ConfigDuration.self, forKey: .maxAge)
            retryInitial = try c.decodeIfPresent(ConfigDuration.self, forKey: .retryInitial)
            retryMax = try c.decodeIfPresent(ConfigDuration.self, forKey: .retryMax)
            shutdownBudget = try c.decodeIfPresent(ConfigDuration.self, forKey: .shutdownBudget)
            unhealthyAfter = try c.decodeIfPresent(ConfigDuration.self, forKey: .unhealthyAfter)
        }
    }
}
