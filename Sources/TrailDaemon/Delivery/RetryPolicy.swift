/// When to try a failed delivery again, and when to give up: exponential backoff with jitter,
/// honouring the receiver's `Retry-After` (capped), dead after `maxAttempts`.
package struct RetryPolicy: Sendable, Hashable {
    package var initial: Duration
    package var maximum: Duration
    package var maxAttempts: Int

    package init(initial: Duration = .seconds(1), maximum: Duration = .seconds(300), maxAttempts: Int = 12) {
        self.initial = initial
        self.maximum = maximum
        self.maxAttempts = maxAttempts
    }

    /// The ledger outcome of an attempt (`attempts` counts it) that returned `result` at `now`
    /// (ms since 1970). `jitter` in 0..<1 spreads retries of many alerts (pass a random value;
    /// tests pass a fixed one).
    package func outcome(of result: DeliveryResult, attempts: Int, now: Int64, jitter: Double) -> OutboxOutcome {
        switch result {
        case .delivered:
            return .delivered
        case .rejected(let reason):
            return .dead(error: reason)
        case .retry(let after, let reason):
            guard attempts < maxAttempts else {
                return .dead(error: "gave up after \(attempts) attempts: \(reason)")
            }
            return .retry(at: now + delay(attempts: attempts, hint: after, jitter: jitter).milliseconds, error: reason)
        }
    }

    /// The wait before attempt `attempts + 1`: half to all of `initial × 2^(attempts-1)`, capped
    /// at `maximum`; a receiver's hint wins when longer (still capped).
    package func delay(attempts: Int, hint: Duration?, jitter: Double) -> Duration {
        let exponent = min(max(attempts - 1, 0), 30)
        let base = min(initial * (1 << exponent), maximum)
        let spread = base * (0.5 + 0.5 * min(max(jitter, 0), 1))
        if let hint, hint > spread { return min(hint, maximum) }
        return spread
    }
}
