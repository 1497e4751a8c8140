import Testing

@testable import TrailDaemon

/// `/healthz` per sink: a sink with alerts waiting that has not delivered within the limit is
/// unhealthy, whatever its state says; one with nothing waiting is healthy however long ago it
/// last delivered; disabled is unhealthy; removed is listed, not counted.
struct DeliveryHealthTests {
    static let now: Int64 = 1_800_000_000_000
    static let limit: Duration = .seconds(900)

    func health(_ states: [String: SinkState], _ backlog: [String: SinkBacklog]) -> DeliveryHealth {
        DeliveryHealth(states: states, backlog: backlog, limit: Self.limit, now: Self.now)
    }

    @Test func anIdleSinkIsHealthyHoweverLongAgoItDelivered() {
        let health = health(
            ["chat": SinkState(started: Self.now - 86_400_000, lastDelivered: Self.now - 86_000_000)], [:])
        #expect(health.isHealthy)
        #expect(health.lines == "sink chat: ok, 0 waiting, last delivery 23h ago")
        #expect(health.status(healthy: "fine") == .healthy("fine\nsink chat: ok, 0 waiting, last delivery 23h ago"))
    }

    @Test func aSinkRetryingPastTheLimitWithAlertsWaitingIsUnhealthy() {
        let failing = SinkState(
            condition: .retrying(since: Self.now - 1_000_000, error: "HTTP 500", pausedUntil: nil),
            started: Self.now - 2_000_000, lastDelivered: Self.now - 1_000_000)
        let health = health(["hook": failing], ["hook": SinkBacklog(waiting: 3, oldestWaiting: Self.now - 1_200_000)])
        #expect(!health.isHealthy)
        #expect(
            health.lines
                == "sink hook: retrying for 16m (HTTP 500), 3 waiting, last delivery 16m ago, not delivering for 16m (limit 15m)"
        )
        guard case .unhealthy(let text) = health.status(healthy: "fine") else {
            Issue.record("expected unhealthy")
            return
        }
        #expect(text.hasPrefix("sink hook not delivering for 16m\nsink hook: retrying"))
    }

    @Test func theClockStartsAtTheLaterOfLastDeliveryStartAndTheOldestWaitingAlert() {
        // Idle for a day, then an alert two minutes ago that fails: not yet a stall.
        let fresh = SinkState(
            condition: .retrying(since: Self.now - 120_000, error: "reset", pausedUntil: nil),
            started: Self.now - 86_400_000, lastDelivered: Self.now - 86_400_000)
        #expect(health(["hook": fresh], ["hook": SinkBacklog(waiting: 1, oldestWaiting: Self.now - 120_000)]).isHealthy)
        // A backlog from before the start is judged from the start.
        let restarted = SinkState(started: Self.now - 60_000)
        #expect(
            health(["hook": restarted], ["hook": SinkBacklog(waiting: 50, oldestWaiting: Self.now - 7_200_000)])
                .isHealthy)
        // Alerts held for a digest are not a stall.
        #expect(health(["hook": restarted], ["hook": SinkBacklog(held: 9)]).isHealthy)
    }

    @Test func aPausedSinkSaysUntilWhenAndCountsAsStalledPastTheLimit() {
        let paused = SinkState(
            condition: .retrying(since: Self.now - 1_800_000, error: "HTTP 429", pausedUntil: Self.now + 1_800_000),
            started: Self.now - 3_600_000)
        let health = health(["chat": paused], ["chat": SinkBacklog(waiting: 2, oldestWaiting: Self.now - 1_800_000)])
        #expect(!health.isHealthy)
        #expect(
            health.lines.hasPrefix(
                "sink chat: paused by the receiver for 30m more (HTTP 429), 2 waiting, no delivery yet"))
    }

    @Test func aDisabledSinkIsUnhealthyAndARemovedOneIsListedButNotCounted() {
        let health = health(
            [
                "teams": SinkState(condition: .disabled(reason: "HTTP 410"), started: Self.now),
                "old": SinkState(condition: .removed(at: Self.now - 60_000), started: Self.now - 600_000),
                "gone": SinkState(condition: .removed(at: Self.now - 60_000), started: Self.now - 600_000),
            ],
            [
                "old": SinkBacklog(waiting: 4, oldestWaiting: Self.now - 3_600_000),
                "teams": SinkBacklog(waiting: 1, oldestWaiting: Self.now),
                "legacy": SinkBacklog(waiting: 2, oldestWaiting: Self.now),
            ])
        #expect(health.sinks.map(\.name) == ["legacy", "old", "teams"])
        #expect(health.sinks.compactMap(\.problem) == ["sink teams disabled"])
        #expect(health.sinks[0].line.contains("not configured; 2 waiting"))
        #expect(health.sinks[1].line.contains("removed by a reload 60s ago; 4 waiting"))
    }

    @Test func aSinkStateFollowsItsOutcomes() {
        let start = SinkState(started: 0)
        let failed = start.after(.retry(at: 10, error: "HTTP 500"), now: 5)
        #expect(failed.condition == .retrying(since: 5, error: "HTTP 500", pausedUntil: nil))
        let again = failed.after(.retry(at: 20, error: "reset"), now: 15)
        #expect(again.condition == .retrying(since: 5, error: "reset", pausedUntil: nil))
        let dead = again.after(.dead(error: "HTTP 400"), now: 16)
        #expect(dead.condition == again.condition)
        let delivered = dead.after(.delivered, now: 30)
        #expect(delivered.condition == .ok && delivered.lastDelivered == 30)
    }
}
