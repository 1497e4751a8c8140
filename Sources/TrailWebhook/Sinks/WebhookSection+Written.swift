package import TrailDelivery

extension WebhookSection {
    /// A webhook sink's keys as written (`type: slack`, `teams`, `discord`, `pagerduty` or
    /// `webhook`): the URL and secrets, each given as a value, a `_file` or an `_env`, the
    /// destination checks, timeouts and templates.
    package struct Written: WrittenSinkSection {
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
        var connectTimeout: WrittenDuration?
        var timeout: WrittenDuration?
        var title: String?
        var text: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url
            case urlFile = "url_file"
            case urlEnv = "url_env"
            case secret
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
            case timeout, title, text
        }

        /// One type per provider.
        package static let types = WebhookProvider.allCases.map(\.rawValue)
        /// Every key some provider takes.
        package static let keys = CodingKeys.allCases.map(\.rawValue)

        /// Every provider takes a URL, destination checks and timeouts; the chat and paging
        /// providers take templates (the generic webhook sends the alert as data; templates are
        /// for messages people read); PagerDuty a routing key; the generic webhook signing keys.
        package static func keys(for type: String) -> [String] {
            guard let provider = WebhookProvider(rawValue: type) else { return [] }
            var keys = ["url", "url_file", "url_env", "allow_loopback", "refuse_private", "connect_timeout", "timeout"]
            if provider != .webhook { keys += ["title", "text"] }
            switch provider {
            case .pagerduty: keys += ["routing_key", "routing_key_file", "routing_key_env"]
            case .webhook:
                keys += [
                    "secret", "secret_file", "secret_env", "github_secret", "github_secret_file", "github_secret_env",
                ]
            default: break
            }
            return keys
        }

        /// Checks the URL and secrets (one source each, the URL required; PagerDuty's has a
        /// default and its routing key is required) and the timeouts' ranges.
        package func validated(type: String, path: String) throws(ConfigurationError) -> WebhookSection {
            guard let provider = WebhookProvider(rawValue: type) else {
                throw .invalidValue(path: path + ".type", reason: "`\(type)` is not a webhook type")
            }
            let fallback = provider == .pagerduty ? "https://events.pagerduty.com/v2/enqueue" : nil
            guard
                let url = try SecretSource.given(
                    url ?? fallback, file: urlFile, environment: urlEnv, key: "url", path: path)
            else {
                throw .invalidValue(path: path + ".url", reason: "required: one of url, url_file or url_env")
            }
            var section = WebhookSection(provider: provider, url: url)
            section.secret = try SecretSource.given(
                secret, file: secretFile, environment: secretEnv, key: "secret", path: path)
            section.githubSecret = try SecretSource.given(
                githubSecret, file: githubSecretFile, environment: githubSecretEnv, key: "github_secret", path: path)
            section.routingKey = try SecretSource.given(
                routingKey, file: routingKeyFile, environment: routingKeyEnv, key: "routing_key", path: path)
            if provider == .pagerduty && section.routingKey == nil {
                throw .invalidValue(
                    path: path + ".routing_key",
                    reason: "required: one of routing_key, routing_key_file or routing_key_env")
            }
            section.allowLoopback = allowLoopback ?? false
            section.refusePrivate = refusePrivate ?? false
            if let connectTimeout = connectTimeout?.duration {
                guard connectTimeout >= .milliseconds(100) && connectTimeout <= .seconds(60) else {
                    throw .invalidValue(path: path + ".connect_timeout", reason: "must be between 100ms and 60s")
                }
                section.connectTimeout = connectTimeout
            }
            if let timeout = timeout?.duration {
                guard timeout >= .milliseconds(100) && timeout <= .seconds(120) else {
                    throw .invalidValue(path: path + ".timeout", reason: "must be between 100ms and 2m")
                }
                section.timeout = timeout
            }
            section.titleTemplate = title
            section.textTemplate = text
            return section
        }
    }
}
