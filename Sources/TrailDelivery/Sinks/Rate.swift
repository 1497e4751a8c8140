/// A token-bucket rate: `perSecond` sustained, `burst` at once (a sink's `rate` and `burst`, or
/// its kind's documented default).
package struct Rate: Sendable, Hashable {
    /// Sends per second, sustained.
    package var perSecond: Double
    /// Sends at once, after a quiet spell.
    package var burst: Int

    /// A rate of `perSecond` with bursts of `burst`.
    package init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }
}
