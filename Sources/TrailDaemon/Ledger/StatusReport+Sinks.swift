import TrailJSON

extension StatusReport {
    /// One sink's outbox as `trailhound status` shows it.
    package struct SinkSummary: Sendable, Hashable {
        /// What the outbox says the sink is doing.
        package enum State: String, Sendable, Hashable {
            /// Nothing waiting.
            case idle
            /// Alerts waiting and none has failed yet.
            case delivering
            /// An alert waiting has failed and waits for its next attempt (a receiver's
            /// `Retry-After` included).
            case retrying
            /// Alerts waiting for a sink the configuration no longer names: kept, not sent.
            case notConfigured = "not configured"
        }

        package var name: String
        /// Rows per state: `pending`, `grouped`, `inflight`, `delivered`, `dead`.
        package var counts: [String: Int]
        /// Whether the configuration names it (nil: no configuration was given).
        package var configured: Bool?
        package var activity = SinkActivity()

        /// Alerts not yet delivered or dead.
        package var undelivered: Int { ["pending", "grouped", "inflight"].reduce(0) { $0 + counts[$1, default: 0] } }

        package var state: State {
            if undelivered == 0 { return .idle }
            if configured == false { return .notConfigured }
            return activity.failure == nil ? .delivering : .retrying
        }
    }

    /// Every configured sink, and every other sink the outbox holds rows for, by name.
    package var sinkSummaries: [SinkSummary] {
        let configured = configuredSinks.map { Set($0) }
        let names = Set(sinkCounts.keys).union(configuredSinks ?? [])
        return names.sorted().map { name in
            SinkSummary(
                name: name, counts: sinkCounts[name] ?? [:], configured: configured.map { $0.contains(name) },
                activity: sinkActivity[name] ?? SinkActivity())
        }
    }

    /// `outbox per sink:` and a line per sink: its rows by state, then what it is doing and when
    /// it last delivered; a sink the configuration no longer names is marked, with what it holds.
    var sinkLines: [String] {
        let summaries = sinkSummaries
        guard !summaries.isEmpty else { return [] }
        return ["outbox per sink:"]
            + summaries.map { sink in
                var line =
                    "  \(sink.name): \(sink.counts["pending", default: 0]) pending, "
                    + "\(sink.counts["grouped", default: 0]) held for digests, \(sink.counts["inflight", default: 0]) in flight, "
                    + "\(sink.counts["delivered", default: 0]) delivered, \(sink.counts["dead", default: 0]) dead; "
                    + sink.state.rawValue
                if sink.state == .retrying, let failure = sink.activity.failure {
                    line +=
                        " (after \(failure.attempts) attempts: \(failure.error); next attempt \(Self.iso(failure.nextAttempt)))"
                }
                line += sink.activity.lastDelivered.map { ", last delivery \(Self.iso($0))" } ?? ", no delivery yet"
                if sink.state == .notConfigured {
                    line +=
                        "  (\(sink.undelivered) undelivered kept until a sink named `\(sink.name)` is configured again)"
                }
                return line
            }
    }

    /// The same as JSON: `[{"name": …, "configured": …, "state": …, "pending": …, …}]`.
    var sinksJSON: JSONValue {
        .array(
            sinkSummaries.map { sink in
                var fields: [JSONValue.Member] = [.init("name", .string(sink.name))]
                if let configured = sink.configured { fields.append(.init("configured", .bool(configured))) }
                fields.append(.init("state", .string(sink.state.rawValue)))
                for state in ["pending", "grouped", "inflight", "delivered", "dead"] {
                    fields.append(.init(state, .number(String(sink.counts[state, default: 0]))))
                }
                if let at = sink.activity.lastDelivered { fields.append(.init("lastDelivery", .string(Self.iso(at)))) }
                if let failure = sink.activity.failure, sink.undelivered > 0 {
                    fields.append(
                        .init(
                            "lastFailure",
                            .object([
                                .init("attempts", .number(String(failure.attempts))),
                                .init("error", .string(failure.error)),
                                .init("nextAttempt", .string(Self.iso(failure.nextAttempt))),
                            ])))
                }
                return .object(fields)
            })
    }
}
