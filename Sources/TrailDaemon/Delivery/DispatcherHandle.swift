import NIOConcurrencyHelpers

/// How the supervisor stops one running dispatcher and learns that it has finished: a stop is
/// honoured between deliveries, never in the middle of one, so whatever was in flight is settled
/// (delivered, retried or dead) before another dispatcher takes the sink's queue.
package final class DispatcherHandle: Sendable {
    private struct State {
        var stopRequested = false
        var finished = false
    }

    private let state = NIOLockedValueBox(State())
    /// The dispatcher's doorbell: rung so an idle dispatcher notices the stop at once.
    private let wake: Doorbell
    private let done = Doorbell()

    package init(wake: Doorbell) {
        self.wake = wake
    }

    /// Whether the dispatcher should return before its next delivery.
    package var stopRequested: Bool { state.withLockedValue { $0.stopRequested } }

    /// Asks the dispatcher to return once its delivery in flight, if any, is settled.
    package func stop() {
        state.withLockedValue { $0.stopRequested = true }
        wake.ring()
    }

    /// Called by the dispatcher's task when its loop has returned and its sink is shut down.
    package func finish() {
        state.withLockedValue { $0.finished = true }
        done.ring()
    }

    package var isFinished: Bool { state.withLockedValue { $0.finished } }

    /// Returns once `finish()` has been called (one waiter at a time).
    package func finished() async {
        while !isFinished && !Task.isCancelled {
            await done.wait(timeout: .seconds(1))
        }
    }
}
