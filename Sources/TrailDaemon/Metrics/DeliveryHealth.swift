/// `/healthz`'s verdict on delivery, one line per sink: unhealthy while a sink's destination has
/// disabled it, or while a sink with alerts waiting has not delivered for longer than
/// `delivery.unhealthy_after`. A sink with nothing waiting is healthy whatever its last delivery.
///
/// A value computed from what the dispatchers reported (`SinkState`) and what the outbox holds
/// (`SinkBacklog`), so it is tested without a daemon. A sink a reload removed (or one the
/// configuration no longer names) is listed while it has alerts waiting, but does not make the
/// daemon unhealthy: nothing is trying to deliver them until a sink of that name comes back.
package struct DeliveryHealth: Sendable, Hashable {
    /// One sink's line and whether it makes the daemon unhealthy.
    package struct Sink: Sendable, Hashable {
        package var name: String
        /// `sink NAME: STATE, N waiting, last delivery …`
        package var line: String
        /// Why it makes the daemon unhealthy (nil: it does not).
        package var problem: String?
    }

    package var sinks: [Sink] = []

    /// The verdict at `now` (ms since 1970) for sinks in `states` and sinks with a `backlog`.
    package init(states: [String: SinkState], backlog: [String: SinkBacklog], limit: Duration, now: Int64) {
        let names = Set(states.keys).union(backlog.keys.filter { backlog[$0]?.waiting ?? 0 > 0 })
        for name in names.sorted() {
            let work = backlog[name] ?? SinkBacklog()
            guard let state = states[name] else {
                sinks.append(
                    Sink(
                        name: name,
                        line:
                            "sink \(name): not configured; \(work.waiting) waiting in the outbox until a sink of that name is configured again",
                        problem: nil))
                continue
            }
            var condition: String
            var problem: String?
            switch state.condition {
            case .ok:
                condition = "ok"
            case .retrying(let since, let error, let paused):
                if let paused, paused > now {
                    condition = "paused by the receiver for \(Self.span(paused - now)) more (\(error))"
                } else {
                    condition = "retrying for \(Self.span(now - since)) (\(error))"
                }
            case .disabled(let reason):
                condition = "disabled (\(reason); fix the sink, then reload)"
                problem = "sink \(name) disabled"
            case .removed(let at):
                if work.waiting == 0 && work.held == 0 { continue }  // gone, and nothing left behind
                sinks.append(
                    Sink(
                        name: name,
                        line:
                            "sink \(name): removed by a reload \(Self.span(now - at)) ago; \(work.waiting + work.held) waiting in the outbox until a sink of that name is configured again",
                        problem: nil))
                continue
            }
            var line = "sink \(name): \(condition), \(work.waiting) waiting"
            if work.held > 0 { line += ", \(work.held) held for digests" }
            line += state.lastDelivered.map { ", last delivery \(Self.span(now - $0)) ago" } ?? ", no delivery yet"
            if work.waiting > 0 {
                let since = max(state.lastDelivered ?? state.started, work.oldestWaiting ?? now)
                let stalled = now - since
                if stalled > limit.milliseconds {
                    line += ", not delivering for \(Self.span(stalled)) (limit \(Self.span(limit.milliseconds)))"
                    problem = problem ?? "sink \(name) not delivering for \(Self.span(stalled))"
                }
            }
            sinks.append(Sink(name: name, line: line, problem: problem))
        }
    }

    /// Whether no sink makes the daemon unhealthy.
    package var isHealthy: Bool { sinks.allSatisfy { $0.problem == nil } }

    /// Each sink's line, one per line.
    package var lines: String { sinks.map(\.line).joined(separator: "\n") }

    /// The `/healthz` answer: healthy with `summary` and the sinks' lines, or unhealthy with the
    /// problems (`others`, then the sinks') on the first line and the sinks' lines after it.
    package func status(healthy summary: String, others: [String] = []) -> HealthStatus {
        let problems = others + sinks.compactMap(\.problem)
        let body = sinks.isEmpty ? "" : "\n" + lines
        return problems.isEmpty ? .healthy(summary + body) : .unhealthy(problems.joined(separator: "; ") + body)
    }

    /// `45s`, `12m`, `3h`: a span of milliseconds for a person.
    static func span(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1000
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h"
    }
}
