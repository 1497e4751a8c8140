import Testing

@testable import TrailDaemon

/// What `trailhound status` says each sink is doing, from its outbox rows alone: idle with nothing
/// waiting, delivering, retrying once an alert waiting has failed, and not configured when the
/// configuration no longer names a sink that still holds alerts.
struct SinkSummaryTests {
    typealias Summary = StatusReport.SinkSummary

    static let failure = SinkActivity.Failure(attempts: 3, error: "HTTP 500", nextAttempt: 1_800_000_000_000)

    @Test(arguments: [
        (Summary(name: "a", counts: ["delivered": 9], configured: true), Summary.State.idle),
        (Summary(name: "a", counts: ["pending": 2], configured: true), .delivering),
        (Summary(name: "a", counts: ["inflight": 1], configured: nil), .delivering),
        (
            Summary(
                name: "a", counts: ["pending": 2], configured: true, activity: SinkActivity(failure: Self.failure)),
            .retrying
        ),
        (Summary(name: "a", counts: ["grouped": 1], configured: false), .notConfigured),
        (Summary(name: "a", counts: ["delivered": 4, "dead": 1], configured: false), .idle),
    ])
    func theStateFollowsTheRows(summary: Summary, state: Summary.State) {
        #expect(summary.state == state)
    }

    @Test func theLineSaysWhatTheSinkDoesAndWhenItLastDelivered() {
        var report = StatusReport(ledger: "/l")
        report.configuredSinks = ["hook"]
        report.sinkCounts = ["hook": ["pending": 2, "delivered": 1], "old": ["pending": 1]]
        report.sinkActivity = ["hook": SinkActivity(lastDelivered: 0, failure: Self.failure)]
        #expect(
            report.sinkLines == [
                "outbox per sink:",
                "  hook: 2 pending, 0 held for digests, 0 in flight, 1 delivered, 0 dead; retrying (after 3 attempts: HTTP 500; next attempt 2027-01-15T08:00:00Z), last delivery 1970-01-01T00:00:00Z",
                "  old: 1 pending, 0 held for digests, 0 in flight, 0 delivered, 0 dead; not configured, no delivery yet  (1 undelivered kept until a sink named `old` is configured again)",
            ])
    }
}
