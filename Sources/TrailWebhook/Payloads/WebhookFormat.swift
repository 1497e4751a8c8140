package import TrailRules

/// Turns an alert, or a digest of alerts, into the bytes one kind of webhook receiver expects.
///
/// Rendering is pure and deterministic: the same alert gives the same bytes every time, because
/// the bytes are rendered once, stored in the outbox, and sent as they are on every retry (so
/// signatures stay valid and receivers see identical requests). Every format keeps its payload
/// within the receiver's documented limits whatever the record contains, cutting texts with `…`
/// rather than letting the receiver reject the alert for good.
package protocol WebhookFormat: Sendable {
    /// The request body for one alert.
    func render(_ alert: Alert) -> [UInt8]
    /// The request body for a digest: many alerts of one rule as one message.
    func render(_ digest: AlertDigest) -> [UInt8]
}

/// A format for people (Slack, Teams, Discord): one message laid out from the parts of an alert,
/// or of a digest, so both kinds of message share one layout per provider.
protocol MessageFormat: WebhookFormat {
    /// Templates for a single alert's title and extra paragraph (digests use the rule title).
    var templates: AlertTemplates { get }
    /// The request body for a message made of `parts`.
    static func message(_ parts: MessageParts) -> [UInt8]
}

extension MessageFormat {
    package func render(_ alert: Alert) -> [UInt8] {
        Self.message(MessageParts(AlertFacts(alert, templates: templates)))
    }

    package func render(_ digest: AlertDigest) -> [UInt8] {
        Self.message(MessageParts(DigestFacts(digest)))
    }
}
