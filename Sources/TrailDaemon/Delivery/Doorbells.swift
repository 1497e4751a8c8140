import NIOConcurrencyHelpers

/// One doorbell per sink name, shared by whatever commits alerts (it rings them all) and the
/// dispatchers (each waits on its own). Sinks come and go with reloads, so doorbells are made on
/// first use and kept: a dispatcher restarted for the same sink waits on the same doorbell.
package final class Doorbells: Sendable {
    private let bells = NIOLockedValueBox<[String: Doorbell]>([:])

    package init(_ names: [String] = []) {
        for name in names { _ = doorbell(for: name) }
    }

    /// The doorbell of the sink named `name`, made if there was none.
    package func doorbell(for name: String) -> Doorbell {
        bells.withLockedValue { bells in
            if let bell = bells[name] { return bell }
            let bell = Doorbell()
            bells[name] = bell
            return bell
        }
    }

    /// Wakes every sink's dispatcher: new alerts may be waiting for any of them.
    package func ringAll() {
        for bell in bells.withLockedValue({ Array($0.values) }) { bell.ring() }
    }
}
