package import TrailRules

/// Where alerts go: stdout in `TrailDaemon`, webhooks in `TrailWebhook`. Sinks are only ever fed
/// from the outbox, so every sink has the same guarantee: an alert committed is delivered or
/// dead-lettered.
///
/// A rendered payload is the bytes one delivery sends, `[UInt8]`: the outbox stores them as they
/// are and the sink sends them as they are, so a retry sends exactly what the first attempt did.
package protocol AlertSink: Sendable {
    /// The name routes use.
    var name: String { get }
    /// Whether a delivery that was in flight at a crash is sent again (the receiver may have it).
    var inDoubt: InDoubt { get }
    /// The bytes a delivery sends, rendered once when the alert is enqueued so that every retry
    /// sends the same bytes (and signatures stay stable).
    func render(_ alert: Alert) -> [UInt8]
    /// The bytes of a digest: many alerts of one rule as one message (noise control). Rendered
    /// when it is sent, since which alerts it holds is known only then.
    func render(_ digest: AlertDigest) -> [UInt8]
    /// Sends one payload. `alertID` is the idempotency key for receivers that take one (an alert
    /// id, or a digest id).
    func deliver(_ payload: [UInt8], alertID: String) async -> DeliveryResult
    /// Releases what the sink holds (connections); called once, after its last delivery.
    func shutdown() async
    /// The longest one `deliver` can take (its timeouts), so a slow answer is not taken for a
    /// stuck dispatcher.
    var attemptLimit: Duration { get }
}

extension AlertSink {
    /// Nothing to release.
    package func shutdown() async {}
    /// Five seconds: a sink without timeouts of its own answers at once or is stuck.
    package var attemptLimit: Duration { .seconds(5) }
}
