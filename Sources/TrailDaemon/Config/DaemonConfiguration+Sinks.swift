import Foundation
import TrailRules

extension DaemonConfiguration {
    /// What the stdout sink writes.
    package enum StdoutFormat: String, Sendable, CaseIterable {
        /// JSON lines, or readable text when stdout is a terminal.
        case auto
        case json
        case text
    }

    /// Whether to resend, after a restart, deliveries that were in flight when the process died.
    package enum InDoubt: String, Sendable, CaseIterable {
        case resend
        case drop
    }

    /// One destination for alerts, with how fast and how grouped alerts go to it.
    package struct Sink: Sendable, Hashable {
        package enum Kind: Sendable, Hashable {
            case stdout(StdoutFormat)
            case webhook(Webhook)
        }

        package var name: String
        package var kind: Kind
        package var inDoubt: InDoubt = .resend
        /// Alerts of one rule within this window after one went out become one digest; nil: off.
        package var groupWindow: Duration?
        /// How many alerts a digest shows in full.
        package var digestEvents = 10
        /// The most sends per second, and how many may go at once; nil: unlimited.
        package var rate: Rate?

        package init(name: String, kind: Kind, inDoubt: InDoubt = .resend) {
            self.name = name
            self.kind = kind
            self.inDoubt = inDoubt
        }
    }

    /// A token-bucket rate: `perSecond` sustained, `burst` at once.
    package struct Rate: Sendable, Hashable {
        package var perSecond: Double
        package var burst: Int
    }

    /// An HTTP destination: which provider's format, where, and with which secrets.
    package struct Webhook: Sendable, Hashable {
        package enum Provider: String, Sendable, Hashable, CaseIterable {
            case slack, teams, discord, pagerduty, webhook

            /// The provider's documented rate (operations.md §2), used when the sink sets none.
            package var defaultRate: Rate? {
                switch self {
                case .slack: Rate(perSecond: 1, burst: 3)
                case .teams: Rate(perSecond: 1, burst: 4)
                case .discord: Rate(perSecond: 0.5, burst: 5)
                case .pagerduty: Rate(perSecond: 2, burst: 10)
                case .webhook: nil
                }
            }

            /// Chat channels get digests by default: a flood there is read by people.
            package var defaultGroupWindow: Duration? {
                switch self {
                case .slack, .teams, .discord: .seconds(60)
                case .pagerduty, .webhook: nil
                }
            }
        }

        package var provider: Provider
        /// The URL (a credential for Slack, Teams and Discord).
        package var url: SecretSource
        /// Standard Webhooks signing key (`whsec_…`), `webhook` only.
        package var secret: SecretSource?
        /// GitHub-style `X-Hub-Signature-256` key, `webhook` only.
        package var githubSecret: SecretSource?
        /// The Events API v2 integration key, `pagerduty` only.
        package var routingKey: SecretSource?
        /// Plain http to a loopback address (tests, a local relay).
        package var allowLoopback = false
        /// Refuse private, CGNAT, ULA and loopback destinations too (link-local always is).
        package var refusePrivate = false
        package var connectTimeout: Duration = .seconds(5)
        /// The whole request, connection included.
        package var timeout: Duration = .seconds(30)
        /// Mustache templates for the headline and an extra paragraph.
        package var titleTemplate: String?
        package var textTemplate: String?

        package init(provider: Provider, url: SecretSource) {
            self.provider = provider
            self.url = url
        }
    }

    /// Where a secret comes from: the configuration itself, an environment variable, or a file
    /// (systemd `LoadCredential=`). Resolved when sinks are built, never logged.
    package enum SecretSource: Sendable, Hashable {
        case value(String)
        case environment(String)
        case file(String)
    }

    /// Rules muted for all or some sinks, for good or (a snooze) until a time.
    package struct Mute: Sendable, Hashable {
        /// Globs on rule ids.
        package var rules: [String]
        /// Empty: every sink.
        package var sinks: [String] = []
        /// ms since 1970; nil: until the entry is removed.
        package var until: Int64?
        package var reason: String?
    }

    static let sinkTypes = ["stdout"] + Webhook.Provider.allCases.map(\.rawValue)

    static func sink(_ sink: ConfigurationFile.Sink, path: String) throws(ConfigurationError) -> Sink {
        guard let name = sink.name, !name.isEmpty else {
            throw .invalidValue(path: path + ".name", reason: "required: routes refer to sinks by name")
        }
        guard let type = sink.type else {
            throw .invalidValue(path: path + ".type", reason: "required (\(sinkTypes.joined(separator: ", ")))")
        }
        let common = ["name", "type", "in_doubt", "rate", "burst", "group_window", "digest_events"]
        var result: Sink
        if type == "stdout" {
            try allow(sink, common + ["format"], type: type, path: path)
            let format = sink.format ?? "auto"
            guard let value = StdoutFormat(rawValue: format) else {
                throw .invalidValue(path: path + ".format", reason: "`\(format)` is not auto, json or text")
            }
            result = Sink(name: name, kind: .stdout(value))
        } else if let provider = Webhook.Provider(rawValue: type) {
            var keys = common + ["url", "url_file", "url_env", "allow_loopback", "refuse_private"]
            keys += ["connect_timeout", "timeout"]
            // The generic webhook sends the alert as data; templates are for messages people read.
            if provider != .webhook { keys += ["title", "text"] }
            switch provider {
            case .pagerduty: keys += ["routing_key", "routing_key_file", "routing_key_env"]
            case .webhook: keys += ["secret", "secret_file", "secret_env", "github_secret", "github_secret_file"]
            default: break
            }
            if provider == .webhook { keys.append("github_secret_env") }
            try allow(sink, keys, type: type, path: path)
            result = Sink(name: name, kind: .webhook(try webhook(sink, provider: provider, path: path)))
            result.rate = provider.defaultRate
            result.groupWindow = provider.defaultGroupWindow
        } else {
            throw .invalidValue(
                path: path + ".type", reason: "`\(type)` is not a sink type (\(sinkTypes.joined(separator: ", ")))")
        }
        if let text = sink.inDoubt {
            guard let value = InDoubt(rawValue: text) else {
                throw .invalidValue(path: path + ".in_doubt", reason: "`\(text)` is not resend or drop")
            }
            result.inDoubt = value
        }
        if let window = sink.groupWindow?.duration { result.groupWindow = window == .zero ? nil : window }
        if let events = sink.digestEvents {
            guard (1...50).contains(events) else {
                throw .invalidValue(path: path + ".digest_events", reason: "must be between 1 and 50")
            }
            result.digestEvents = events
        }
        if let text = sink.rate {
            result.rate = try rate(text, burst: sink.burst ?? result.rate?.burst ?? 1, path: path + ".rate")
        } else if let burst = sink.burst {
            guard let rate = result.rate else {
                throw .invalidValue(path: path + ".burst", reason: "needs a `rate` (this sink type has none)")
            }
            result.rate = try self.rate(perSecond: rate.perSecond, burst: burst, path: path + ".burst")
        }
        return result
    }

    private static func allow(
        _ sink: ConfigurationFile.Sink, _ keys: [String], type: String, path: String
    ) throws(ConfigurationError) {
        for key in sink.present.sorted() where !keys.contains(key) {
            throw .invalidValue(path: "\(path).\(key)", reason: "does not apply to a \(type) sink")
        }
    }

    private static func webhook(
        _ sink: ConfigurationFile.Sink, provider: Provider, path: String
    ) throws(ConfigurationError) -> Webhook {
        let fallback = provider == .pagerduty ? "https://events.pagerduty.com/v2/enqueue" : nil
        guard
            let url = try secret(
                sink.url ?? fallback, file: sink.urlFile, env: sink.urlEnv, key: "url", path: path)
        else {
            throw .invalidValue(path: path + ".url", reason: "required: one of url, url_file or url_env")
        }
        var webhook = Webhook(provider: provider, url: url)
        webhook.secret = try secret(
            sink.secret, file: sink.secretFile, env: sink.secretEnv, key: "secret", path: path)
        webhook.githubSecret = try secret(
            sink.githubSecret, file: sink.githubSecretFile, env: sink.githubSecretEnv, key: "github_secret",
            path: path)
        webhook.routingKey = try secret(
            sink.routingKey, file: sink.routingKeyFile, env: sink.routingKeyEnv, key: "routing_key", path: path)
        if provider == .pagerduty && webhook.routingKey == nil {
            throw .invalidValue(
                path: path + ".routing_key", reason: "required: one of routing_key, routing_key_file or routing_key_env"
            )
        }
        webhook.allowLoopback = sink.allowLoopback ?? false
        webhook.refusePrivate = sink.refusePrivate ?? false
        if let timeout = sink.connectTimeout?.duration {
            guard timeout >= .milliseconds(100) && timeout <= .seconds(60) else {
                throw .invalidValue(path: path + ".connect_timeout", reason: "must be between 100ms and 60s")
            }
            webhook.connectTimeout = timeout
        }
        if let timeout = sink.timeout?.duration {
            guard timeout >= .milliseconds(100) && timeout <= .seconds(120) else {
                throw .invalidValue(path: path + ".timeout", reason: "must be between 100ms and 2m")
            }
            webhook.timeout = timeout
        }
        webhook.titleTemplate = sink.title
        webhook.textTemplate = sink.text
        return webhook
    }

    typealias Provider = Webhook.Provider

    /// At most one of the three ways of giving a secret.
    private static func secret(
        _ value: String?, file: String?, env: String?, key: String, path: String
    ) throws(ConfigurationError) -> SecretSource? {
        let given = [value.map(SecretSource.value), file.map(SecretSource.file), env.map(SecretSource.environment)]
            .compactMap { $0 }
        guard given.count <= 1 else {
            throw .invalidValue(
                path: "\(path).\(key)", reason: "give only one of \(key), \(key)_file and \(key)_env")
        }
        if let source = given.first {
            switch source {
            case .value(let text), .file(let text), .environment(let text):
                guard !text.isEmpty else {
                    throw .invalidValue(path: "\(path).\(key)", reason: "must not be empty")
                }
            }
        }
        return given.first
    }

    /// `N/s`, `N/min` or `N/h` (N may be a decimal).
    private static func rate(_ text: String, burst: Int, path: String) throws(ConfigurationError) -> Rate {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let seconds: Double? =
            parts.count == 2
            ? ["s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86_400, "day": 86_400][parts[1]] : nil
        guard let seconds, let count = Double(parts[0]), count > 0, count.isFinite else {
            throw .invalidValue(path: path, reason: "`\(text)` is not a rate (e.g. 1/s, 30/min, 100/h, 1000/day)")
        }
        return try rate(perSecond: count / seconds, burst: burst, path: path)
    }

    private static func rate(perSecond: Double, burst: Int, path: String) throws(ConfigurationError) -> Rate {
        guard burst >= 1 && burst <= 10_000 else {
            throw .invalidValue(path: path, reason: "the burst must be between 1 and 10000")
        }
        guard perSecond >= 1.0 / 86_400 && perSecond <= 10_000 else {
            throw .invalidValue(path: path, reason: "the rate must be between 1/day and 10000/s")
        }
        return Rate(perSecond: perSecond, burst: burst)
    }

    static func mute(
        _ mute: ConfigurationFile.Mute, path: String, sinks: Set<String>
    ) throws(ConfigurationError) -> Mute {
        guard let rules = mute.rules, !rules.isEmpty else {
            throw .invalidValue(path: path + ".rules", reason: "required: the rule ids (globs) to mute")
        }
        for (index, glob) in rules.enumerated() { try validate(glob: glob, path: "\(path).rules[\(index)]") }
        for sink in mute.sinks ?? [] where !sinks.contains(sink) {
            throw .invalidValue(
                path: path + ".sinks",
                reason: "no sink is named `\(sink)` (sinks: \(sinks.sorted().joined(separator: ", ")))")
        }
        var result = Mute(rules: rules, sinks: mute.sinks ?? [], reason: mute.reason)
        if let until = mute.until {
            guard let time = isoTime(until) else {
                throw .invalidValue(
                    path: path + ".until", reason: "`\(until)` is not a time (2026-12-01 or 2026-12-01T08:00:00Z)")
            }
            result.until = time
        }
        return result
    }

    /// ms since 1970 for `YYYY-MM-DD` (midnight UTC) or an ISO 8601 time with a zone.
    static func isoTime(_ text: String) -> Int64? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        return nil
    }
}
