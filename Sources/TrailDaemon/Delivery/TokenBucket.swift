/// A destination's send rate: `burst` sends at once, refilled at `perSecond`. A value: the
/// dispatcher asks it how long to wait and sleeps, tests ask it with a manual clock.
package struct TokenBucket: Sendable, Hashable {
    package let perSecond: Double
    package let burst: Double
    private var tokens: Double
    /// When `tokens` was last brought up to date (ms since 1970); nil before the first send.
    private var updated: Int64?

    package init(perSecond: Double, burst: Int) {
        precondition(perSecond > 0 && burst >= 1, "a rate is positive and a burst at least one")
        self.perSecond = perSecond
        self.burst = Double(burst)
        tokens = Double(burst)
    }

    /// Takes a token at `now` (ms) and returns 0, or returns how many milliseconds to wait before
    /// one is there (taking nothing: call again then).
    package mutating func take(now: Int64) -> Int64 {
        if let updated, now > updated {
            tokens = min(burst, tokens + Double(now - updated) * perSecond / 1000)
        }
        updated = max(updated ?? now, now)
        if tokens >= 1 {
            tokens -= 1
            return 0
        }
        return Int64(((1 - tokens) * 1000 / perSecond).rounded(.up))
    }
}
