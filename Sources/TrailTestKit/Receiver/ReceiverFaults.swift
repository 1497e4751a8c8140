/// What a ``WebhookReceiver`` does wrong on purpose, drawn for each request from a seeded generator.
///
/// Each request that no ``ScriptedResponse`` answers draws two numbers: one picks the outcome
/// (rate limited, server error, reset or success, by cumulative probability in that order), the other
/// the delay, whatever the outcome. Always two, so the same seed gives the same sequence of outcomes
/// for the same sequence of requests however they were answered. The probabilities add up to at most 1.
package struct ReceiverFaults: Sendable, Hashable {
    /// Seeds the generator; ``WebhookReceiver/setFaults(_:)`` restarts the sequence from it.
    package var seed: UInt64
    /// Probability of `429 Too Many Requests` with a `Retry-After` header.
    package var rateLimited: Double
    /// The wait a 429 asks for. The `Retry-After` header carries it rounded up to whole seconds (HTTP
    /// allows only integers there); a Discord-style body carries the exact value.
    package var retryAfterSeconds: Double
    /// Whether a 429 looks like Discord's: a JSON body `{"message": …, "retry_after": 1.5, "global": false}`
    /// and `X-RateLimit-*` headers besides `Retry-After`, so the client's body parsing is exercised.
    package var discordStyle: Bool
    /// Probability of `500 Internal Server Error`.
    package var serverError: Double
    /// Probability of closing the connection without an answer, with a TCP reset.
    package var reset: Double
    /// A delay before answering, drawn uniformly from this range; `nil` answers at once.
    package var delay: ClosedRange<Duration>?
    /// The status of a successful answer: 200 (Slack, Discord with `?wait=true`), 202 (PagerDuty,
    /// Teams Workflows) or 204 (Discord); any 2xx.
    package var status: Int
    /// The body of a successful answer (Slack answers `ok`, a legacy Teams connector `1`); none for a 204.
    package var successBody: String
    /// A header naming the idempotency key (`webhook-id` for Standard Webhooks), or `nil` for none.
    ///
    /// When set, a 2xx request whose key was already accepted is still answered 2xx, as PagerDuty
    /// does with a repeated `dedup_key`, but is marked ``ReceivedRequest/duplicate`` and left out of
    /// ``WebhookReceiver/accepted()``. A request without the header is never a duplicate.
    package var dedupeHeader: String?

    /// Faults with the given rates; every default is "behave".
    package init(
        seed: UInt64 = 0,
        rateLimited: Double = 0,
        retryAfterSeconds: Double = 1,
        discordStyle: Bool = false,
        serverError: Double = 0,
        reset: Double = 0,
        delay: ClosedRange<Duration>? = nil,
        status: Int = 200,
        successBody: String = "ok",
        dedupeHeader: String? = nil
    ) {
        precondition(
            [rateLimited, serverError, reset].allSatisfy { (0...1).contains($0) }
                && rateLimited + serverError + reset <= 1,
            "fault probabilities must each be in 0...1 and add up to at most 1")
        precondition((200..<300).contains(status), "the success status must be 2xx")
        precondition(retryAfterSeconds >= 0, "Retry-After cannot be negative")
        self.seed = seed
        self.rateLimited = rateLimited
        self.retryAfterSeconds = retryAfterSeconds
        self.discordStyle = discordStyle
        self.serverError = serverError
        self.reset = reset
        self.delay = delay
        self.status = status
        self.successBody = successBody
        self.dedupeHeader = dedupeHeader
    }

    /// No faults: every request is answered `200 ok` at once.
    package static let none = ReceiverFaults()

    /// The mix the kill-loop harness uses (operations.md §1.7): about 10% 429 with `Retry-After: 1`,
    /// 5% 500, 2% resets and a 0–300 ms delay on every answer.
    package static func harness(seed: UInt64, dedupeHeader: String? = nil) -> ReceiverFaults {
        ReceiverFaults(
            seed: seed, rateLimited: 0.10, serverError: 0.05, reset: 0.02, delay: .zero ... .milliseconds(300),
            dedupeHeader: dedupeHeader)
    }
}
