package import TrailDelivery

/// A webhook sink's own configuration, validated: which provider's format, where, and with
/// which secrets (resolved only when the sink is built, by `WebhookSinkFactory`).
package struct WebhookSection: SinkSection {
    /// Whose format, limits and answers (`type`).
    package var provider: WebhookProvider
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

    /// A section with the defaults for everything but the provider and the URL.
    package init(provider: WebhookProvider, url: SecretSource) {
        self.provider = provider
        self.url = url
    }

    /// The provider's documented rate.
    package var defaultRate: Rate? { provider.defaultRate }

    /// Digests for chat channels.
    package var defaultGroupWindow: Duration? { provider.defaultGroupWindow }
}
