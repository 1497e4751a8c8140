import NIOConcurrencyHelpers

/// When a dispatcher's shutdown budget runs out: unset until graceful shutdown starts, then the
/// instant the budget ends. A delivery in flight races it, so a receiver that never answers
/// cannot hold the process past the budget.
package final class ShutdownDeadline: Sendable {
    private let instant = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
    private let set = Doorbell()

    package init() {}

    /// The deadline, once shutdown has started.
    package var value: ContinuousClock.Instant? { instant.withLockedValue { $0 } }

    /// Sets the deadline to `end` (the first call wins: a second SIGTERM does not extend the
    /// budget).
    package func start(at end: ContinuousClock.Instant) {
        instant.withLockedValue { $0 = $0 ?? end }
        set.ring()
    }

    /// Whether the deadline has passed.
    package var hasPassed: Bool { value.map { ContinuousClock.now >= $0 } ?? false }

    /// Returns once the deadline has passed (never before shutdown starts), or when the calling
    /// task is cancelled. One waiter at a time.
    package func reached() async {
        while !Task.isCancelled {
            if let deadline = value {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return
            }
            await set.wait(timeout: .seconds(3600))
        }
    }
}
