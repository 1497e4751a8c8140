import Testing

@testable import TrailDaemon

/// The spool root going and coming back, as the spool loop, `/healthz`, `STATUS=` and the
/// watchdog see it: said once when it goes, once when it is back, and the daemon unhealthy (no
/// watchdog ping) in between.
struct SpoolRootWatchTests {
    static let deleted = InotifyLoop.goneError(root: "/var/spool/cloudtrail", cause: "it was deleted")
    static let file = InotifyLoop.goneError(
        root: "/var/spool/cloudtrail", cause: "it is back, but cannot be watched: Not a directory")

    @Test("gone is said once however often it is reported, a new reason once more, and the return once")
    func saysEachThingOnce() {
        var root = SpoolRootWatch()
        #expect(!root.isGone)
        #expect(root.returned(now: .seconds(1)) == nil, "a return without a loss is not news")
        #expect(root.lost(Self.deleted, now: .seconds(10)) == .wentAway(Self.deleted))
        #expect(root.lost(Self.deleted, now: .seconds(15)) == nil)
        #expect(root.lost(Self.file, now: .seconds(20)) == .stillGone(Self.file))
        #expect(root.gone == .init(error: Self.file, since: .seconds(10)), "gone since it first went")
        #expect(root.returned(now: .seconds(42)) == .returned(after: .seconds(32)))
        #expect(!root.isGone)
        #expect(root.returned(now: .seconds(43)) == nil)
        #expect(root.lost(Self.deleted, now: .seconds(50)) == .wentAway(Self.deleted), "a second loss is news again")
    }

    @Test("a failed scan is an error only while the root is watched and still a directory")
    func failedScans() {
        var root = SpoolRootWatch()
        #expect(root.scanFailed(rootIsDirectory: true) == .error)
        // The scan may fail before the watcher's report arrives: the report will say it.
        #expect(root.scanFailed(rootIsDirectory: false) == .expected)
        _ = root.lost(Self.deleted, now: .zero)
        #expect(root.scanFailed(rootIsDirectory: false) == .expected)
        #expect(root.scanFailed(rootIsDirectory: true) == .expected)
    }

    @Test("while the spool directory is gone the watchdog is not fed, whatever the loops report")
    func goneWithholdsTheWatchdog() {
        let now = ContinuousClock.now
        let progressing = PipelineProgress.assess(
            readyAt: now - .seconds(60), lastSpoolProgress: now, lastDispatcherProgress: ["hook": now],
            disabledSinks: [], now: now, interval: .seconds(30))
        #expect(progressing == .progressing)
        let gone = PipelineProgress.assess(
            readyAt: now - .seconds(60), lastSpoolProgress: now, lastDispatcherProgress: ["hook": now],
            disabledSinks: [], spoolGone: "spool directory gone", now: now, interval: .seconds(30))
        #expect(gone == .spoolGone("spool directory gone"))
    }

    @Test("the daemon's events carry the loss to /healthz and STATUS= until the return")
    func eventsCarryIt() {
        let events = DaemonEvents()
        events.spoolGone(Self.deleted)
        let since = events.snapshot.spoolGone?.since
        events.spoolGone(Self.file)
        let gone = events.snapshot.spoolGone
        #expect(gone?.since == since, "the time it first went is kept")
        #expect(
            gone?.status
                == "spool directory /var/spool/cloudtrail gone (it is back, but cannot be watched: Not a directory), waiting for it"
        )
        let line = gone?.line(now: (since ?? .now) + .seconds(12))
        #expect(
            line?.hasPrefix(
                "spool directory gone for 12s: /var/spool/cloudtrail: the spool directory went away: it is back, but cannot be watched: Not a directory (recreate it"
            ) == true, "\(line ?? "nil")")
        let assessed = PipelineProgress.assess(events.snapshot, now: .now, interval: .seconds(30))
        guard case .spoolGone(let reason) = assessed else {
            Issue.record("expected spoolGone, got \(assessed)")
            return
        }
        #expect(reason.contains("/var/spool/cloudtrail"))
        events.spoolReturned()
        #expect(events.snapshot.spoolGone == nil)
    }
}
