/// What one sink's dispatcher last reported, for `/healthz`: delivering, retrying (perhaps paused
/// by its receiver), disabled by its destination, or removed by a reload; and when it last
/// delivered.
package struct SinkState: Sendable, Hashable {
    package enum Condition: Sendable, Hashable {
        /// The last attempt was delivered (or nothing has been tried yet).
        case ok
        /// Attempts have failed since `since` (ms since 1970), the last with `error`; `pausedUntil`
        /// is set while the receiver's `Retry-After` holds the whole sink.
        case retrying(since: Int64, error: String, pausedUntil: Int64?)
        /// The destination answered that it is gone; nothing is sent until a reload or restart.
        case disabled(reason: String)
        /// A reload removed the sink at this time (ms since 1970): no dispatcher; its undelivered
        /// alerts stay in the outbox until a sink of that name is configured again.
        case removed(at: Int64)
    }

    package var condition: Condition = .ok
    /// When its dispatcher last started (ms since 1970): a backlog found at start is judged from here.
    package var started: Int64
    /// The last successful delivery, ms since 1970.
    package var lastDelivered: Int64?

    package init(condition: Condition = .ok, started: Int64, lastDelivered: Int64? = nil) {
        self.condition = condition
        self.started = started
        self.lastDelivered = lastDelivered
    }

    /// The state after an attempt ended in `outcome` at `now`.
    package func after(_ outcome: OutboxOutcome, now: Int64) -> SinkState {
        var next = self
        switch outcome {
        case .delivered:
            next.condition = .ok
            next.lastDelivered = now
        case .retry(_, let error):
            if case .retrying(let since, _, let paused) = condition {
                next.condition = .retrying(
                    since: since, error: error, pausedUntil: paused.flatMap { $0 > now ? $0 : nil })
            } else {
                next.condition = .retrying(since: now, error: error, pausedUntil: nil)
            }
        case .dead:
            break  // the sink moved on; whether it works is for the next attempt to say
        }
        return next
    }
}
