package import Logging
package import TrailDaemon

/// Builds the configured sinks: the one place that knows every concrete sink type, so the daemon
/// core stays free of HTTP (architecture.md: the executable picks concrete sinks).
///
/// Everything that can be checked before the first alert is checked here, so `trailhound check
/// --config` and start-up refuse a sink that could never deliver: secrets that cannot be read,
/// signing keys that are not `whsec_…`, templates that do not compile, a URL that is not https
/// or points at a refused address. A host name that does not resolve yet is only a warning:
/// DNS may be down at boot, and the alerts wait in the outbox meanwhile.
package struct SinkFactory: Sendable {
    let secrets: SecretResolver
    let logger: Logger

    package init(environment: [String: String], configurationDirectory: String?, logger: Logger) {
        secrets = SecretResolver(environment: environment, configurationDirectory: configurationDirectory)
        self.logger = logger
    }

    /// One sink per configured sink, in order.
    package func make(_ sinks: [DaemonConfiguration.Sink]) throws(SinkError) -> [any AlertSink] {
        var made: [any AlertSink] = []
        for (index, sink) in sinks.enumerated() {
            made.append(try make(sink, path: "sinks[\(index)]"))
        }
        return made
    }

    /// The sink for one configured sink; `path` is its key path, for errors.
    package func make(_ sink: DaemonConfiguration.Sink, path: String) throws(SinkError) -> any AlertSink {
        switch sink.kind {
        case .stdout(let format):
            return StdoutSink(name: sink.name, format: format, inDoubt: sink.inDoubt)
        case .webhook(let webhook):
            return try make(webhook, sink: sink, path: path)
        }
    }

    private func make(
        _ webhook: DaemonConfiguration.Webhook, sink: DaemonConfiguration.Sink, path: String
    ) throws(SinkError) -> WebhookSink {
        func fail(_ key: String, _ reason: String) -> SinkError {
            SinkError(sink: sink.name, path: "\(path).\(key)", reason: reason)
        }
        func secret(_ source: DaemonConfiguration.SecretSource?, _ key: String) throws(SinkError) -> Secret? {
            guard let source else { return nil }
            do {
                return Secret(try secrets.resolve(source, path: "\(path).\(key)"))
            } catch .invalidValue(_, let reason) {
                throw SinkError(sink: sink.name, path: "\(path).\(key)", reason: reason)
            } catch {
                throw SinkError(sink: sink.name, path: "\(path).\(key)", reason: "\(error)")
            }
        }
        guard let url = try secret(webhook.url, "url") else { throw fail("url", "required") }
        let policy = DestinationPolicy(allowLoopback: webhook.allowLoopback, refusePrivate: webhook.refusePrivate)
        do {
            let destination = try policy.check(url: url)
            logger.info(
                "Webhook destination checked.",
                metadata: ["th.sink": "\(sink.name)", "th.destination": "\(destination)"])
        } catch {
            guard case .unresolvable = error.problem else { throw fail("url", "\(error)") }
            logger.warning(
                "Webhook host does not resolve yet; alerts wait in the outbox until it does.",
                metadata: ["th.sink": "\(sink.name)", "th.error": "\(error)"])
        }
        let templates: AlertTemplates
        do {
            templates = try AlertTemplates(title: webhook.titleTemplate, text: webhook.textTemplate)
        } catch {
            throw fail(error.template == .title ? "title" : "text", "\(error)")
        }
        var signers: [any WebhookSigner] = []
        if let key = try secret(webhook.secret, "secret") {
            do throws(SigningSecretError) {
                signers.append(try StandardWebhookSigner(secret: key))
            } catch {
                throw fail("secret", "\(error)")
            }
        }
        if let key = try secret(webhook.githubSecret, "github_secret") {
            do throws(SigningSecretError) {
                signers.append(try GitHubSigner(secret: key))
            } catch {
                throw fail("github_secret", "\(error)")
            }
        }
        let format: any WebhookFormat
        switch webhook.provider {
        case .slack: format = SlackFormat(templates: templates)
        case .teams: format = TeamsFormat(templates: templates)
        case .discord: format = DiscordFormat(templates: templates)
        case .pagerduty: format = PagerDutyFormat(templates: templates)
        case .webhook: format = GenericFormat()
        }
        return WebhookSink(
            name: sink.name, inDoubt: sink.inDoubt, provider: webhook.provider, format: format, url: url,
            policy: policy,
            connectTimeout: webhook.connectTimeout, timeout: webhook.timeout, signers: signers,
            routingKey: try secret(webhook.routingKey, "routing_key"))
    }
}

/// A sink that cannot be built: which one, which key, and why (secrets are never in the reason).
package struct SinkError: Error, Sendable, CustomStringConvertible {
    package var sink: String
    package var path: String
    package var reason: String

    package var description: String { "sink `\(sink)`: `\(path)`: \(reason)" }
}
