import Foundation
import Testing

/// Alarm rules in a real daemon, against `trailhound replay` over the same spool: a far-future
/// `eventTime` does not switch an alarm off, late and out-of-order files raise what replay raises
/// within the lateness, a burst split across files raises one alert, and impossible times do not
/// count (issue 17, findings 3 and 4).
@Suite(.serialized)
struct AlarmProcessTests {
    @Test func aFarFutureEventTimeDoesNotSwitchTheAlarmOff() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeAlarmRule()
        try daemon.start()
        let base = DaemonHarness.now() - 3600
        try daemon.drop(
            DaemonHarness.name(minute: 1, tag: "future"),
            DaemonHarness.file(records: [
                DaemonHarness.failedSignIn(id: "future-1", user: "bob", time: "9999-12-31T23:59:59Z")
            ]))
        #expect(try await daemon.sentinel(minute: 2, tag: "afterfuture"))
        try daemon.drop(
            DaemonHarness.name(minute: 3, tag: "burst"),
            DaemonHarness.file(
                records: (0..<3).map {
                    DaemonHarness.failedSignIn(id: "burst-\($0)", user: "bob", time: DaemonHarness.iso(base + 60 * $0))
                }))
        #expect(await daemon.waitAsync { daemon.alarmAlerts.count == 1 }, "\(daemon.stderr)")
        #expect(try await daemon.sentinel(minute: 4, tag: "end"))
        await daemon.stopAsync()
        #expect(daemon.alarmAlerts.map(\.group) == ["bob"])
        #expect(daemon.alarmAlerts.first?.eventID == "burst-2")
        // The future record is skipped for alarms, and warned of once for its file: a clock or a
        // forger is wrong.
        #expect(daemon.stderr.contains("warning trailhound: Records skipped for alarms."), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("th.future=1"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("_future.json.gz"), "\(daemon.stderr)")
        let replay = try daemon.replay()
        #expect(Set(replay.alarms.map(\.windowStart)) == Set(daemon.alarmAlerts.map(\.windowStart)))
        #expect(replay.summary.contains("1 skipped for alarms"), "\(replay.summary)")
    }

    @Test func aLateOlderNamedFileRaisesWhatReplayRaisesWithinTheLateness() async throws {
        // The default lateness, 3 days (`alarms.lateness`).
        let daemon = try DaemonHarness()
        try daemon.writeAlarmRule()
        try daemon.start()
        let now = DaemonHarness.now()
        func burst(_ tag: String, at start: Int) -> [UInt8] {
            DaemonHarness.file(
                records: (0..<3).map {
                    DaemonHarness.failedSignIn(
                        id: "\(tag)-\($0)", user: "alice", time: DaemonHarness.iso(start + 60 * $0))
                })
        }
        // The newest file first: one failure ten minutes ago.
        try daemon.drop(
            DaemonHarness.name(minute: 30, tag: "newest"),
            DaemonHarness.file(records: [
                DaemonHarness.failedSignIn(id: "newest", user: "alice", time: DaemonHarness.iso(now - 600))
            ]))
        #expect(try await daemon.sentinel(minute: 31, tag: "afternewest"))
        // Then an older-named file, delivered 60 hours late: within the 3 days of lateness.
        try daemon.drop(DaemonHarness.name(minute: 5, tag: "late"), burst("late", at: now - 60 * 3600))
        #expect(await daemon.waitAsync { daemon.alarmAlerts.count == 1 }, "\(daemon.stderr)")
        // And one 4 days late: beyond the lateness, skipped for alarms and said so.
        try daemon.drop(DaemonHarness.name(minute: 4, tag: "toolate"), burst("toolate", at: now - 4 * 86_400))
        #expect(try await daemon.sentinel(minute: 32, tag: "end"))
        await daemon.stopAsync()
        #expect(daemon.alarmAlerts.map(\.eventID) == ["late-2"])
        #expect(daemon.stderr.contains("th.late=3"), "\(daemon.stderr)")
        // Late records are what a backlog is made of: a notice, not a warning.
        let skipped = daemon.stderr.split(separator: "\n").filter { $0.contains("Records skipped for alarms.") }
        #expect(skipped.count == 1 && skipped[0].contains(" notice "), "\(skipped)")
        #expect(daemon.stderr.contains("_toolate.json.gz"), "\(daemon.stderr)")
        // Replay, which reads everything, raises the same within the lateness, and the one beyond.
        let replay = try daemon.replay()
        #expect(replay.alarms.count == 2)
        let beyond = DaemonHarness.iso(now - 4 * 86_400)
        #expect(
            Set(replay.alarms.filter { $0.windowStart > beyond }.map(\.windowStart))
                == Set(daemon.alarmAlerts.map(\.windowStart)))
    }

    @Test func aBurstSplitAcrossFilesRaisesOneAlertWhateverTheOrder() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeAlarmRule()
        try daemon.start()
        let base = DaemonHarness.now() - 3600  // "10:00"
        // 10:03, 10:04 and 10:05 in one file …
        try daemon.drop(
            DaemonHarness.name(minute: 10, tag: "first"),
            DaemonHarness.file(
                records: [180, 240, 300].map {
                    DaemonHarness.failedSignIn(id: "split-\($0)", user: "bob", time: DaemonHarness.iso(base + $0))
                }))
        #expect(await daemon.waitAsync { daemon.alarmAlerts.count == 1 }, "\(daemon.stderr)")
        // … and 10:00:30 in the next one, processed after it.
        try daemon.drop(
            DaemonHarness.name(minute: 15, tag: "second"),
            DaemonHarness.file(records: [
                DaemonHarness.failedSignIn(id: "split-30", user: "bob", time: DaemonHarness.iso(base + 30))
            ]))
        #expect(try await daemon.sentinel(minute: 16, tag: "end"))
        try await Task.sleep(for: .seconds(1))
        await daemon.stopAsync()
        #expect(daemon.alarmAlerts.count == 1, "\(daemon.alarmAlerts)")
        let replay = try daemon.replay()
        #expect(replay.alarms.count == 1, "\(replay.alarms)")
        #expect(replay.alarms.map(\.group) == daemon.alarmAlerts.map(\.group))
    }

    @Test func anEpisodeSurvivesAKillAndIsNotRaisedAgainByAMatchThatArrivesAfterIt() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeAlarmRule()
        try daemon.start()
        let base = DaemonHarness.now() - 3600
        try daemon.drop(
            DaemonHarness.name(minute: 10, tag: "first"),
            DaemonHarness.file(
                records: [180, 240, 300].map {
                    DaemonHarness.failedSignIn(id: "kill-\($0)", user: "bob", time: DaemonHarness.iso(base + $0))
                }))
        #expect(await daemon.waitAsync { daemon.alarmAlerts.count == 1 }, "\(daemon.stderr)")
        // The alert and its episode were committed together; kill -9 and start again.
        await daemon.stopAsync(signal: SIGKILL)
        try daemon.start()
        try daemon.drop(
            DaemonHarness.name(minute: 15, tag: "second"),
            DaemonHarness.file(records: [
                DaemonHarness.failedSignIn(id: "kill-30", user: "bob", time: DaemonHarness.iso(base + 30))
            ]))
        #expect(try await daemon.sentinel(minute: 16, tag: "end"))
        try await Task.sleep(for: .seconds(1))
        await daemon.stopAsync()
        // The kill may come after the alert was written to stdout and before its delivery was
        // settled: then the restart sends the same alert again (at least once, guarantees 1.2).
        // Raised again would be another alert: another window.
        #expect(Set(daemon.alarmAlerts).count == 1, "\(daemon.alarmAlerts)")
        #expect(try daemon.replay().alarms.count == 1)
    }

    @Test func impossibleEventTimesDoNotCount() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeAlarmRule()
        try daemon.start()
        let year = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1
        // February 30 (read leniently, March 2) and hour 99 (read leniently, four days on).
        let day = DaemonHarness.iso(DaemonHarness.now(roundedTo: 86_400) - 10 * 86_400).prefix(10)
        let fourDaysOn = DaemonHarness.iso(DaemonHarness.now(roundedTo: 86_400) - 6 * 86_400).prefix(10)
        let records = [
            DaemonHarness.failedSignIn(id: "feb-1", user: "carol", time: "\(year)-02-30T10:00:00Z"),
            DaemonHarness.failedSignIn(id: "feb-2", user: "carol", time: "\(year)-02-30T10:01:00Z"),
            DaemonHarness.failedSignIn(id: "feb-3", user: "carol", time: "\(year)-03-02T10:02:00Z"),
            DaemonHarness.failedSignIn(id: "hour-1", user: "erin", time: "\(day)T99:00:00Z"),
            DaemonHarness.failedSignIn(id: "hour-2", user: "erin", time: "\(fourDaysOn)T03:00:30Z"),
            DaemonHarness.failedSignIn(id: "hour-3", user: "erin", time: "\(fourDaysOn)T03:01:00Z"),
        ]
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "impossible"), DaemonHarness.file(records: records))
        // A valid burst after it, which must fire: the daemon is not just silent.
        let base = DaemonHarness.now() - 3600
        try daemon.drop(
            DaemonHarness.name(minute: 2, tag: "valid"),
            DaemonHarness.file(
                records: (0..<3).map {
                    DaemonHarness.failedSignIn(id: "dave-\($0)", user: "dave", time: DaemonHarness.iso(base + 60 * $0))
                }))
        #expect(await daemon.waitAsync { daemon.alarmAlerts.count == 1 }, "\(daemon.stderr)")
        #expect(try await daemon.sentinel(minute: 3, tag: "end"))
        await daemon.stopAsync()
        #expect(daemon.alarmAlerts.map(\.group) == ["dave"])
        #expect(daemon.stderr.contains("th.invalid_time=3"), "\(daemon.stderr)")
        let replay = try daemon.replay()
        #expect(replay.alarms.map(\.group) == ["dave"])
        #expect(replay.summary.contains("3 skipped for alarms"), "\(replay.summary)")
    }
}
