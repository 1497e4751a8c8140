/// One sink's undelivered alerts as the outbox holds them: what `/healthz` judges a sink by, and
/// what `trailhound status` lists per sink (a sink a reload removed included).
package struct SinkBacklog: Sendable, Hashable {
    /// Pending, in flight, or held for a digest that is due: what the sink should be sending now.
    package var waiting = 0
    /// When the oldest of those was enqueued (ms since 1970).
    package var oldestWaiting: Int64?
    /// Held for a digest that is not due yet: noise control, not a delay.
    package var held = 0

    package init(waiting: Int = 0, oldestWaiting: Int64? = nil, held: Int = 0) {
        self.waiting = waiting
        self.oldestWaiting = oldestWaiting
        self.held = held
    }
}
