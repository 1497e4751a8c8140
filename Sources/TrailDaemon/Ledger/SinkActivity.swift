/// What the outbox says about one sink's deliveries, for `trailhound status`: when it last
/// delivered, and the failure its queue is waiting out, if any. `status` runs in another process
/// than the daemon, so this is read from the ledger alone; `/healthz` has the live state.
package struct SinkActivity: Sendable, Hashable {
    /// The failed attempt an undelivered alert of the sink is waiting to retry.
    package struct Failure: Sendable, Hashable {
        package var attempts: Int
        package var error: String
        /// When it is tried again (ms since 1970).
        package var nextAttempt: Int64

        package init(attempts: Int, error: String, nextAttempt: Int64) {
            self.attempts = attempts
            self.error = error
            self.nextAttempt = nextAttempt
        }
    }

    /// The last delivery the outbox still remembers (ms since 1970; delivered rows are pruned by
    /// `state.retention`).
    package var lastDelivered: Int64?
    /// The most recent failure among its undelivered alerts (nil: none has failed yet).
    package var failure: Failure?

    package init(lastDelivered: Int64? = nil, failure: Failure? = nil) {
        self.lastDelivered = lastDelivered
        self.failure = failure
    }
}
