import NIOConcurrencyHelpers

@testable import TrailDaemon

/// Drains an `InotifyWatcher`'s stream in the background so tests can wait for an event with a
/// deadline instead of blocking on the stream (a test must never hang).
final class InotifyEventCollector: Sendable {
    private final class Storage: Sendable {
        let events = NIOLockedValueBox<[InotifyWatcher.Event]>([])
        let finished = NIOLockedValueBox(false)
    }

    private let storage = Storage()

    init(_ stream: AsyncStream<InotifyWatcher.Event>) {
        let storage = self.storage
        Task {
            for await event in stream { storage.events.withLockedValue { $0.append(event) } }
            storage.finished.withLockedValue { $0 = true }
        }
    }

    /// Everything received so far.
    var events: [InotifyWatcher.Event] { storage.events.withLockedValue { $0 } }

    /// The first event received (already or within `timeout`) that satisfies `predicate`.
    func first(
        within timeout: Duration = .seconds(5), where predicate: (InotifyWatcher.Event) -> Bool
    ) async -> InotifyWatcher.Event? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let match = events.first(where: predicate) { return match }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether the stream has finished, waiting up to `timeout` for it.
    func streamFinished(within timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if storage.finished.withLockedValue({ $0 }) { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
