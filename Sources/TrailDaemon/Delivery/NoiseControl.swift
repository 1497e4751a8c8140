/// Whether the next alert of a rule goes out alone or waits for a digest: when an alert of the
/// same rule went to the same sink less than `groupWindow` ago, the rule is flooding (a Terraform
/// run, a scanner), and what follows waits for one digest at the end of that window.
///
/// The first alert of a burst always goes out at once, so noise control never delays the news,
/// only the repeats. A value: the dispatcher asks, the ledger holds the grouped rows.
package struct NoiseControl: Sendable, Hashable {
    /// nil: every alert goes out alone.
    package var groupWindow: Duration?
    /// How many alerts a digest shows in full (it counts all of them).
    package var digestEvents: Int
    /// The most alerts one digest stands for; more make another digest.
    package var digestLimit = 1000

    /// How many alerts a digest shows unless a sink says otherwise (`digest_events`).
    package static let defaultDigestEvents = 10

    package init(groupWindow: Duration? = nil, digestEvents: Int = NoiseControl.defaultDigestEvents) {
        self.groupWindow = groupWindow
        self.digestEvents = digestEvents
    }

    package enum Decision: Sendable, Hashable {
        case send
        /// Hold the rule's pending alerts for a digest sent at this time (ms since 1970).
        case group(until: Int64)
    }

    /// What to do with a due alert of a rule last delivered at `lastDelivered` (ms), at `now`.
    package func decide(lastDelivered: Int64?, now: Int64) -> Decision {
        guard let window = groupWindow?.milliseconds, let last = lastDelivered, now - last < window else {
            return .send
        }
        // A clock set back puts the last delivery in the future: wait one window from now, not more.
        return .group(until: min(last, now) + window)
    }
}
