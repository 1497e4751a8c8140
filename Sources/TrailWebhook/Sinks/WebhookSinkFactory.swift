package import Logging
package import TrailDelivery

/// Builds a webhook sink from its section, checking everything that can be checked before the
/// first alert, so `trailhound check --config` and start-up refuse a sink that could never
/// deliver: secrets that cannot be read, signing keys that are not `whsec_…`, templates that do
/// not compile, a URL that is not https or points at a refused address. A host name that does not
/// resolve yet is only a warning: DNS may be down at boot, and the alerts wait in the outbox
/// meanwhile.
package struct WebhookSinkFactory: Sendable {
    let secrets: SecretResolver
    let logger: Logger

    package init(secrets: SecretResolver, logger: Logger) {
        self.secrets = secrets
        self.logger = logger
    }

    /// The sink `section` describes, named `name`; `path` is its key path, for errors.
    package func make(
        _ section: WebhookSection, name: String, inDoubt: InDoubt, path: String
    ) throws(SinkError) -> WebhookSink {
        func fail(_ key: String, _ reason: String) -> SinkError {
            SinkError(sink: name, path: "\(path).\(key)", reason: reason)
        }
        func secret(_ source: SecretSource?, _ key: String) throws(SinkError) -> Secret? {
            guard let source else { return nil }
            do {
                return Secret(try secrets.resolve(source, path: "\(path).\(key)"))
            } catch .invalidValue(_, let reason) {
                throw SinkError(sink: name, path: "\(path).\(key)", reason: reason)
            } catch {
                throw SinkError(sink: name, path: "\(path).\(key)", reason: "\(error)")
            }
        }
        guard let url = try secret(section.url, "url") else { throw fail("url", "required") }
        let policy = DestinationPolicy(allowLoopback: section.allowLoopback, refusePrivate: section.refusePrivate)
        do {
            let destination = try policy.check(url: url)
            logger.info(
                "Webhook destination checked.",
                metadata: ["th.sink": "\(name)", "th.destination": "\(destination)"])
        } catch {
            guard case .unresolvable = error.problem else { throw fail("url", "\(error)") }
            logger.warning(
                "Webhook host does not resolve yet; alerts wait in the outbox until it does.",
                metadata: ["th.sink": "\(name)", "th.error": "\(error)"])
        }
        let templates: AlertTemplates
        do {
            templates = try AlertTemplates(title: section.titleTemplate, text: section.textTemplate)
        } catch {
            throw fail(error.template == .title ? "title" : "text", "\(error)")
        }
        var signers: [any WebhookSigner] = []
        if let key = try secret(section.secret, "secret") {
            do throws(SigningSecretError) {
                signers.append(try StandardWebhookSigner(secret: key))
            } catch {
                throw fail("secret", "\(error)")
            }
        }
        if let key = try secret(section.githubSecret, "github_secret") {
            do throws(SigningSecretError) {
                signers.append(try GitHubSigner(secret: key))
            } catch {
                throw fail("github_secret", "\(error)")
            }
        }
        let format: any WebhookFormat
        switch section.provider {
        case .slack: format = SlackFormat(templates: templates)
        case .teams: format = TeamsFormat(templates: templates)
        case .discord: format = DiscordFormat(templates: templates)
        case .pagerduty: format = PagerDutyFormat(templates: templates)
        case .webhook: format = GenericFormat()
        }
        return WebhookSink(
            name: name, inDoubt: inDoubt, provider: section.provider, format: format, url: url, policy: policy,
            connectTimeout: section.connectTimeout, timeout: section.timeout, signers: signers,
            routingKey: try secret(section.routingKey, "routing_key"))
    }
}
