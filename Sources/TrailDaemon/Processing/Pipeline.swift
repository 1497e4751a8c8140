import NIOConcurrencyHelpers
package import TrailDelivery
package import TrailRules

/// The parts a reload replaces together: the compiled rules, the routes, and the sinks that
/// render payloads. Files are processed against one snapshot from start to commit.
///
/// Every sink a route names is one of `sinks`: the initialiser refuses anything else, so an
/// alert is never recorded without a delivery for each sink its routes name.
package struct Pipeline: Sendable {
    package private(set) var rules: RuleSet
    package private(set) var router: Router
    package private(set) var sinks: [String: any AlertSink]
    /// Bumped by every reload, so per-thread state built from the rules is rebuilt.
    package var generation = 0

    /// Throws when a route names a sink that is not among `sinks`.
    package init(rules: RuleSet, router: Router, sinks: [any AlertSink]) throws(PipelineError) {
        self.rules = rules
        self.router = router
        self.sinks = Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, route) in router.routes.enumerated() {
            for name in route.route.sinks where self.sinks[name] == nil {
                throw PipelineError(route: index, sink: name, known: self.sinks.keys.sorted())
            }
        }
    }

    /// Each sink the routes send `alert` to (mutes applied at `now`), with the payload it will send.
    package func route(
        _ alert: Alert, now: Int64 = DaemonClock.wallMilliseconds()
    ) -> [(sink: String, payload: [UInt8])] {
        router.sinks(for: alert, now: now).map { name in
            guard let sink = sinks[name] else {
                // `init` checked every route's sinks, and a pipeline is replaced only whole.
                preconditionFailure("route to sink `\(name)`, which the pipeline does not have")
            }
            return (name, sink.render(alert))
        }
    }
}

/// The current pipeline, swapped whole by a reload.
package final class PipelineHolder: Sendable {
    private let current: NIOLockedValueBox<Pipeline>
    /// Held by a swap and by a file's routing and commit, so that the sinks a commit routes to
    /// are the ones of the pipeline current when it commits: a reload lands before or after a
    /// commit, never between its routing and its transaction.
    private let swap = NIOLock()

    package init(_ pipeline: Pipeline) {
        current = NIOLockedValueBox(pipeline)
    }

    package var pipeline: Pipeline { current.withLockedValue { $0 } }

    /// Installs `pipeline` whole: rules, routes and the sinks they name change together.
    package func replace(with pipeline: Pipeline) {
        swap.withLock {
            current.withLockedValue {
                var next = pipeline
                next.generation = $0.generation + 1
                $0 = next
            }
        }
    }

    /// Runs `body` (route, render and commit) with the current pipeline; no reload swaps it
    /// until `body` returns.
    package func committing<T>(_ body: (Pipeline) throws -> T) rethrows -> T {
        try swap.withLock { try body(pipeline) }
    }
}
