import NIOConcurrencyHelpers
package import TrailRules

/// The parts a reload replaces together: the compiled rules, the routes, and the sinks that
/// render payloads. Files are processed against one snapshot from start to commit.
package struct Pipeline: Sendable {
    package var rules: RuleSet
    package var router: Router
    package var sinks: [String: any AlertSink]
    /// Bumped by every reload, so per-thread state built from the rules is rebuilt.
    package var generation = 0

    package init(rules: RuleSet, router: Router, sinks: [any AlertSink]) {
        self.rules = rules
        self.router = router
        self.sinks = Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Each sink the routes send `alert` to (mutes applied at `now`), with the payload it will send.
    package func route(
        _ alert: Alert, now: Int64 = DaemonClock.wallMilliseconds()
    ) -> [(sink: String, payload: [UInt8])] {
        router.sinks(for: alert, now: now).compactMap { name in sinks[name].map { (name, $0.render(alert)) } }
    }
}

/// The current pipeline, swapped whole by a reload.
package final class PipelineHolder: Sendable {
    private let current: NIOLockedValueBox<Pipeline>

    package init(_ pipeline: Pipeline) {
        current = NIOLockedValueBox(pipeline)
    }

    package var pipeline: Pipeline { current.withLockedValue { $0 } }

    /// Installs `pipeline` (sinks are kept: they are services started once).
    package func replace(rules: RuleSet, router: Router) {
        current.withLockedValue {
            $0.rules = rules
            $0.router = router
            $0.generation += 1
        }
    }
}
