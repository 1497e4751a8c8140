extension ConfigurationFile {
    /// One sink as written. Its `type` says which other keys apply; the second stage refuses a key
    /// that does not apply to the type, so a Slack sink with a `routing_key` is caught at start.
    struct Sink: Decodable, Sendable {
        var name: String?
        var type: String?
        var format: String?
        var inDoubt: String?
        var url: String?
        var urlFile: String?
        var urlEnv: String?
        var secret: String?
        var secretFile: String?
        var secretEnv: String?
        var githubSecret: String?
        var githubSecretFile: String?
        var githubSecretEnv: String?
        var routingKey: String?
        var routingKeyFile: String?
        var routingKeyEnv: String?
        var allowLoopback: Bool?
        var refusePrivate: Bool?
        var connectTimeout: ConfigDuration?
        var timeout: ConfigDuration?
        var rate: String?
        var burst: Int?
        var groupWindow: ConfigDuration?
        var digestEvents: Int?
        var title: String?
        var text: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, type, format, url, secret, rate, burst, title, text, timeout
            case inDoubt = "in_doubt"
            case urlFile = "url_file"
            case urlEnv = "url_env"
            case secretFile = "secret_file"
            case secretEnv = "secret_env"
            case githubSecret = "github_secret"
            case githubSecretFile = "github_secret_file"
            case githubSecretEnv = "github_secret_env"
            case routingKey = "routing_key"
            case routingKeyFile = "routing_key_file"
            case routingKeyEnv = "routing_key_env"
            case allowLoopback = "allow_loopback"
            case refusePrivate = "refuse_private"
            case connectTimeout = "connect_timeout"
            case groupWindow = "group_window"
            case digestEvents = "digest_events"
        }

        /// The keys present, to refuse those that do not apply to the sink's type.
        var present: Set<String> = []

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            present = Set(c.allKeys.map(\.stringValue))
            name = try c.decodeIfPresent(String.self, forKey: .name)
            type = try c.decodeIfPresent(String.self, forKey: .type)
            format = try c.decodeIfPresent(String.self, forKey: .format)
            inDoubt = try c.decodeIfPresent(String.self, forKey: .inDoubt)
            url = try c.decodeIfPresent(String.self, forKey: .url)
            urlFile = try c.decodeIfPresent(String.self, forKey: .urlFile)
            urlEnv = try c.decodeIfPresent(String.self, forKey: .urlEnv)
            secret = try c.decodeIfPresent(String.self, forKey: .secret)
            secretFile = try c.decodeIfPresent(String.self, forKey: .secretFile)
            secretEnv = try c.decodeIfPresent(String.self, forKey: .secretEnv)
            githubSecret = try c.decodeIfPresent(String.self, forKey: .githubSecret)
            githubSecretFile = try c.decodeIfPresent(String.self, forKey: .githubSecretFile)
            githubSecretEnv = try c.decodeIfPresent(String.self, forKey: .githubSecretEnv)
            routingKey = try c.decodeIfPresent(String.self, forKey: .routingKey)
            routingKeyFile = try c.decodeIfPresent(String.self, forKey: .routingKeyFile)
            routingKeyEnv = try c.decodeIfPresent(String.self, forKey: .routingKeyEnv)
            allowLoopback = try c.decodeIfPresent(Bool.self, forKey: .allowLoopback)
            refusePrivate = try c.decodeIfPresent(Bool.self, forKey: .refusePrivate)
            connectTimeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .connectTimeout)
            timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)
            rate = try c.decodeIfPresent(String.self, forKey: .rate)
            burst = try c.decodeIfPresent(Int.self, forKey: .burst)
            groupWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .groupWindow)
            digestEvents = try c.decodeIfPresent(Int.self, forKey: .digestEvents)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            text = try c.decodeIfPresent(String.self, forKey: .text)
        }
    }

    /// One mute (or, with `until`, a snooze) as written.
    struct Mute: Decodable, Sendable {
        var rules: [String]?
        var sinks: [String]?
        var until: String?
        var reason: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case rules, sinks, until, reason
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rules = try c.decodeIfPresent([String].self, forKey: .rules)
            sinks = try c.decodeIfPresent([String].self, forKey: .sinks)
            until = try c.decodeIfPresent(String.self, forKey: .until)
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
        }
    }
}
