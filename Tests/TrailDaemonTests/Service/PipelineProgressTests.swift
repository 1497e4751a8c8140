import Testing

@testable import TrailDaemon

/// The watchdog decision: a start in progress is neither a ping nor an alarm; a start that never
/// gets going, and a loop that stops, are reported.
struct PipelineProgressTests {
    /// When the spool loop said it was ready (READY=1); every offset below counts from here.
    let ready = ContinuousClock.now
    let interval = Duration.seconds(30)

    func assess(
        at offset: Duration, ready isReady: Bool = true, spool: Duration? = nil, dispatchers: [String: Duration] = [:],
        disabled: Set<String> = []
    ) -> PipelineProgress {
        PipelineProgress.assess(
            readyAt: isReady ? ready : nil, lastSpoolProgress: spool.map { ready + $0 },
            lastDispatcherProgress: dispatchers.mapValues { ready + $0 }, disabledSinks: disabled, now: ready + offset,
            interval: interval)
    }

    /// Issue 17, finding 12: in about half the starts the heartbeat's first tick came before the
    /// spool loop's first round, and was logged as "Pipeline is not making progress".
    @Test(arguments: [Duration.zero, .milliseconds(1), .seconds(5), .seconds(30)])
    func notStartedYetIsNotStuck(offset: Duration) {
        #expect(assess(at: offset) == .starting)
    }

    /// The first scan of a large spool can take longer than an interval; systemd's watchdog is not
    /// armed until READY=1 (`TimeoutStartSec=` watches that part), so it is no cause to warn.
    @Test(arguments: [Duration.zero, .seconds(31), .seconds(600)])
    func aLongFirstScanIsStillStarting(offset: Duration) {
        #expect(assess(at: offset, ready: false) == .starting)
    }

    @Test(arguments: [Duration.milliseconds(30_001), .seconds(31), .seconds(600)])
    func aLoopThatNeverGoesRoundAfterReadyIsReported(offset: Duration) {
        #expect(assess(at: offset) == .notStarted(sinceReady: offset))
    }

    @Test func theFirstRoundEndsTheStart() {
        #expect(assess(at: .seconds(2), spool: .seconds(1)) == .progressing)
        // Late, but going: judged by the interval from its last round, not from READY=1.
        #expect(assess(at: .seconds(45), spool: .seconds(40)) == .progressing)
    }

    @Test func aSpoolLoopThatStoppedIsStuck() {
        #expect(assess(at: .seconds(30), spool: .zero) == .progressing, "exactly one interval is still in time")
        #expect(assess(at: .seconds(31), spool: .zero) == .stuck(["spool loop"]))
    }

    @Test func stuckDispatchersAreNamedInOrderAndDisabledSinksNeverCount() {
        let dispatchers: [String: Duration] = ["slack": .zero, "pagerduty": .zero, "teams": .seconds(50)]
        #expect(
            assess(at: .seconds(60), spool: .seconds(59), dispatchers: dispatchers)
                == .stuck(["sink pagerduty", "sink slack"]))
        #expect(
            assess(at: .seconds(60), spool: .seconds(59), dispatchers: dispatchers, disabled: ["pagerduty", "slack"])
                == .progressing)
        #expect(
            assess(at: .seconds(60), spool: .zero, dispatchers: dispatchers, disabled: ["slack"])
                == .stuck(["spool loop", "sink pagerduty"]))
    }

    /// A dispatcher busy with a slow attempt reports progress up to the attempt's limit, which
    /// can lie in the future.
    @Test func aBusyDispatcherCountsUntilItsLimit() {
        #expect(assess(at: .seconds(60), spool: .seconds(59), dispatchers: ["slack": .seconds(90)]) == .progressing)
    }

    /// What the daemon's parts report, read through `DaemonEvents` as the heartbeat reads it.
    @Test func daemonEventsAreJudgedTheSameWay() throws {
        let events = DaemonEvents()
        let now = ContinuousClock.now
        #expect(PipelineProgress.assess(events.snapshot, now: now + .seconds(600), interval: interval) == .starting)
        events.spoolReady()
        let readyAt = try #require(events.snapshot.spoolReadyAt)
        #expect(PipelineProgress.assess(events.snapshot, now: readyAt, interval: interval) == .starting)
        #expect(
            PipelineProgress.assess(events.snapshot, now: readyAt + .seconds(31), interval: interval)
                == .notStarted(sinceReady: .seconds(31)))
        events.spoolProgressed(backlog: 0)
        #expect(PipelineProgress.assess(events.snapshot, now: .now, interval: interval) == .progressing)
    }
}
