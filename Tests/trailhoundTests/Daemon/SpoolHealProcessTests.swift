import Foundation
import Testing
import TrailTestKit

/// A real daemon whose spool directory is deleted under it (issue 19, point 6): it must not go
/// blind quietly. While the directory is gone `/healthz` answers 503 naming it, `STATUS=` says so
/// and no `WATCHDOG=1` is sent, so systemd would restart a daemon that cannot recover; the loss is
/// logged once. When the directory comes back the watch is re-established by itself: files that
/// came with it are read by the full scan that follows, files that land afterwards are seen by
/// inotify at once, health is 200 again and the pings resume.
@Suite(.serialized)
struct SpoolHealProcessTests {
    static let goneMessage = "The spool directory is gone; no new file is seen until it is back."
    static let backMessage = "Spool watch re-established; scanning the whole spool for files that landed meanwhile."

    @Test(
        "A spool directory deleted and recreated under a running daemon is watched again, and health says so meanwhile")
    func deletedSpoolIsWatchedAgainWhenItComesBack() async throws {
        let harness = try DaemonHarness(extra: try DaemonHarness.metricsSection(), logFormat: "json")
        // Periodic rescans an hour apart: whatever is read after the return was found by the
        // re-established watch (its events, or the scan its return triggers), not by a rescan.
        // Debug logs carry "File processed." with its time, for the latency.
        try harness.rewriteConfig {
            $0.replacingOccurrences(of: "rescan_interval: 3s", with: "rescan_interval: 1h")
                .replacingOccurrences(of: "level: info", with: "level: debug")
        }
        let notify = try NotifySocket(path: harness.root + "/notify.sock")
        try harness.start(environment: ["NOTIFY_SOCKET": harness.root + "/notify.sock", "WATCHDOG_USEC": "2000000"])
        defer { harness.stop() }
        let port = try #require(await harness.metricsPort(), "no metrics port; log: \(harness.stderr.suffix(2000))")
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).status == 200 })
        #expect(await notify.wait { $0.contains("WATCHDOG=1") }, "no watchdog ping while healthy")
        try harness.drop(DaemonHarness.name(minute: 1, tag: "before"), DaemonHarness.file(eventIDs: ["before"]))
        #expect(await harness.waitAsync { harness.alertedEventIDs.contains("before") })

        // Gone.
        try FileManager.default.removeItem(atPath: harness.spool)
        let logged = await harness.waitAsync { !harness.logged(Self.goneMessage).isEmpty }
        #expect(logged, "log: \(harness.stderr.suffix(3000))")
        let entry = harness.logged(Self.goneMessage).first
        #expect(entry?["level"] as? String == "error")
        #expect(entry?["th.spool"] as? String == harness.spool)
        #expect((entry?["th.error"] as? String)?.contains("recreate it") == true, "\(entry ?? [:])")
        var health = DaemonHarness.health(port: port)
        let unhealthy = await harness.waitAsync {
            health = DaemonHarness.health(port: port)
            return health.status == 503
        }
        #expect(unhealthy, "\(health)")
        #expect(health.body.hasPrefix("spool directory gone for "), "\(health.body)")
        #expect(
            health.body.contains(harness.spool + ": the spool directory went away: "), "\(health.body)")
        #expect(health.body.contains("recreate it"), "\(health.body)")

        // Several heartbeats (one a second with a 2 s watchdog) while it is gone: each says so,
        // and none pings. A heartbeat sends STATUS= and WATCHDOG=1 in one datagram.
        let goneStatus = "STATUS=spool directory \(harness.spool) gone"
        func saysGone(_ datagram: [String]) -> Bool { datagram.contains { $0.hasPrefix(goneStatus) } }
        #expect(await notify.waitForDatagrams { $0.filter(saysGone).count >= 4 }, "STATUS= never said it is gone")
        let heartbeats = notify.datagrams
        let whileGone = heartbeats.filter(saysGone)
        #expect(!whileGone.contains { $0.contains("WATCHDOG=1") }, "pinged while blind: \(whileGone)")
        // A gone spool is said once, not at every failed rescan (one a second here).
        #expect(harness.logged(Self.goneMessage).count == 1)
        #expect(harness.logged("Cannot scan the spool.").isEmpty)

        // Back, with a file that landed "meanwhile": the tree is staged elsewhere and moved in whole.
        let meanwhile = DaemonHarness.name(minute: 2, tag: "meanwhile")
        let staged = harness.root + "/incoming"
        try FileManager.default.createDirectory(
            atPath: ((staged + "/" + meanwhile) as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try Data(DaemonHarness.file(eventIDs: ["meanwhile"])).write(to: URL(fileURLWithPath: staged + "/" + meanwhile))
        let datagramsBeforeReturn = heartbeats.count
        #expect(rename(staged, harness.spool) == 0)
        #expect(await harness.waitAsync { !harness.logged(Self.backMessage).isEmpty }, "\(harness.stderr.suffix(3000))")
        #expect(harness.logged(Self.backMessage).first?["level"] as? String == "info")
        #expect(
            await harness.waitAsync { harness.alertedEventIDs.contains("meanwhile") },
            "the file that came with the directory was not read; log: \(harness.stderr.suffix(3000))")
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).status == 200 })
        let resumed = await notify.waitForDatagrams { datagrams in
            datagrams.dropFirst(datagramsBeforeReturn).contains { $0.contains("WATCHDOG=1") && !saysGone($0) }
        }
        #expect(resumed, "the watchdog pings did not resume")

        // A file landing now is seen by inotify on the re-established watch (rescans are an hour
        // apart) and read within a second. Timed from the daemon's own log line, not a wall sleep.
        let after = DaemonHarness.name(minute: 3, tag: "after")
        let landed = Date()
        try harness.drop(after, DaemonHarness.file(eventIDs: ["after"]))
        #expect(
            await harness.waitAsync { harness.alertedEventIDs.contains("after") },
            "no alert for a file landing after the return; log: \(harness.stderr.suffix(3000))")
        let processed = harness.logged("File processed.").first { $0["th.file"] as? String == after }
        let time = (processed?["time"] as? String).flatMap(Self.parse)
        let latency = try #require(time, "no \"File processed.\" line for \(after)").timeIntervalSince(landed)
        // ThreadSanitizer slows the daemon several times over; the bound stays well under the
        // hour a rescan would have taken.
        let bound = Sanitizer.active == nil ? 1.0 : 3.0
        print("spool heal: file landed after the return processed in \(Int(latency * 1000)) ms (bound \(bound) s)")
        #expect(latency < bound, "processed \(latency) s after it landed")
        #expect(harness.logged(Self.goneMessage).count == 1)
        #expect(harness.process?.isRunning == true)
        await harness.stopAsync()
        #expect(harness.process?.terminationStatus == 0)
    }

    /// `2026-11-22T10:00:00.123Z` as the daemon's JSON log writes it.
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
