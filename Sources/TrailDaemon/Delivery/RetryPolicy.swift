package import TrailDelivery

/// When to try a failed delivery again, and when to give up: exponential backoff with full
/// jitter, honouring the receiver's `Retry-After` (capped), dead once the alert is older than
/// `maxAge` (or after `maxAttempts`, when set).
package struct RetryPolicy: Sendable, Hashable {
    package var initial: Duration
    package var maximum: Duration
    /// How long an alert may wait for delivery before it is dead-lettered.
    package var maxAge: Duration
    /// Attempts before a delivery is dead; nil: only `maxAge` limits retries.
    package var maxAttempts: Int?

    package init(
        initial: Duration = .seconds(1), maximum: Duration = .seconds(300), maxAge: Duration = .seconds(86_400),
        maxAttempts: Int? = nil
    ) {
        self.initial = initial
        self.maximum = maximum
        self.maxAge = maxAge
        self.maxAttempts = maxAttempts
    }

    /// The ledger outcome of an attempt (`attempts` counts it) that returned `result` at `now`
    /// (ms since 1970) for an alert enqueued at `enqueued`. `jitter` in 0..<1 spreads retries
    /// (pass a random value; tests pass a fixed one). A disabled destination keeps the alert
    /// pending: the dispatcher stops, and nothing is lost.
    package func outcome(
        of result: DeliveryResult, attempts: Int, enqueued: Int64, now: Int64, jitter: Double
    ) -> OutboxOutcome {
        switch result {
        case .delivered:
            return .delivered
        case .rejected(let reason):
            return .dead(error: reason)
        case .disable(let reason):
            return .retry(at: now, error: "destination disabled: \(reason)")
        case .retry(let after, let reason):
            if let maxAttempts, attempts >= maxAttempts {
                return .dead(error: "gave up after \(attempts) attempts: \(reason)")
            }
            let retryAt = now + delay(attempts: attempts, hint: after, jitter: jitter).milliseconds
            if retryAt - enqueued > maxAge.milliseconds {
                return .dead(error: "gave up after \(attempts) attempts over \((now - enqueued) / 1000) s: \(reason)")
            }
            return .retry(at: retryAt, error: reason)
        }
    }

    /// The wait before attempt `attempts + 1`, with full jitter: anywhere up to
    /// `initial × 2^(attempts-1)`, capped at `maximum`, so that many senders hitting one
    /// recovering receiver spread out. A receiver's hint (`Retry-After`) wins when longer, up to
    /// `maximumHint`: retrying before the receiver asked only earns another 429.
    package func delay(attempts: Int, hint: Duration?, jitter: Double) -> Duration {
        let exponent = min(max(attempts - 1, 0), 30)
        let ceiling = min(initial * (1 << exponent), maximum)
        let spread = ceiling * min(max(jitter, 0), 1)
        if let hint, hint > spread { return min(hint, RetryPolicy.maximumHint) }
        return spread
    }

    /// The longest `Retry-After` honoured.
    package static let maximumHint: Duration = .seconds(3600)
}
