package import TrailRules

/// Where alerts go: stdout here, webhooks in `TrailWebhook`. Sinks are only ever fed from the
/// outbox, so every sink has the same guarantee: an alert committed is delivered or dead-lettered.
package protocol AlertSink: Sendable {
    /// The name routes use.
    var name: String { get }
    /// Whether a delivery that was in flight at a crash is sent again (the receiver may have it).
    var inDoubt: DaemonConfiguration.InDoubt { get }
    /// The bytes a delivery sends, rendered once when the alert is enqueued so that every retry
    /// sends the same bytes (and signatures stay stable).
    func render(_ alert: Alert) -> [UInt8]
    /// Sends one payload. `alertID` is the idempotency key for receivers that take one.
    func deliver(_ payload: [UInt8], alertID: String) async -> DeliveryResult
}

/// What a sink says about one attempt.
package enum DeliveryResult: Sendable, Hashable {
    case delivered
    /// A transient failure; `after` is the receiver's own hint (`Retry-After`), if any.
    case retry(after: Duration?, reason: String)
    /// The receiver refuses this payload for good (HTTP 400, 403, 404, 410, …).
    case rejected(reason: String)
}
