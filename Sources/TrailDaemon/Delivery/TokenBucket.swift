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

    /// Takes a token at `now` (ms, monotonic) and returns 0, or returns how many milliseconds to
    /// wait before one is there (taking nothing: call again then).
    package mutating func take(now: Int64) -> Int64 {
        let wait = self.wait(now: now)
        if wait == 0 { tokens = refilled(now: now) - 1 } else { tokens = refilled(now: now) }
        updated = max(updated ?? now, now)
        return wait
    }

    /// How many milliseconds until a token is there at `now` (0: one is), taking nothing.
    package func wait(now: Int64) -> Int64 {
        let available = refilled(now: now)
        return available >= 1 ? 0 : Int64(((1 - available) * 1000 / perSecond).rounded(.up))
    }

    private func refilled(now: Int64) -> Double {
        guard let updated, now > updated else { return tokens }
        return min(burst, tokens + Double(now - updated) * perSecond / 1000)
    }
}
