/// An answer a test queues for one coming request with ``WebhookReceiver/enqueue(_:)``.
///
/// Scripted answers are used in order, one per request, before any ``ReceiverFaults`` apply, and
/// they draw nothing from the fault generator, so a script does not shift the seeded sequence.
package indirect enum ScriptedResponse: Sendable {
    /// Answer with this status, extra headers and body (`text/plain` unless the headers say otherwise).
    case status(Int, headers: [(String, String)] = [], body: String = "")
    /// Close the connection without answering, with a TCP reset (`SO_LINGER` 0).
    case reset
    /// Never answer and keep the connection open, so the client's own timeout must fire.
    case hang
    /// Wait, then do `then`.
    case delayed(Duration, then: ScriptedResponse)

    /// A `429` asking the client to wait `seconds`, as Slack answers when a webhook posts too fast.
    package static func rateLimited(retryAfter seconds: Int) -> ScriptedResponse {
        .status(429, headers: [("Retry-After", String(seconds))], body: "rate_limited")
    }
}
