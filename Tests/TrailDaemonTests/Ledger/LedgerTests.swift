import Foundation
import GRDB
import Testing
import TrailEngine
import TrailPatterns
import TrailReader
import TrailTestKit

@testable import TrailDaemon
@testable import TrailRules

/// The ledger's guarantees: a file's alerts are enqueued once however often it is committed,
/// deliveries in doubt after a crash are resent or dropped, and alarm windows survive a reopen.
struct LedgerTests {
    let state = TemporaryDirectory("trailhound-ledger")
    var path: String { state.path + "/state.sqlite" }
    let spool = TemporaryDirectory("trailhound-ledger-spool")

    func alert(_ eventID: String, rule: String = "r", time: String = "2026-11-22T10:00:00Z") -> Alert {
        let record = #"{"eventID":"\#(eventID)","eventTime":"\#(time)","eventName":"StopLogging"}"#
        let parsed = Rule(
            id: rule, title: rule, severity: .high, description: "", pattern: try! FilterPattern.parse("{ $.a = 1 }"),
            patternText: "", references: .init(), runbook: "", enabled: true, suppress: [], alarm: nil, tests: [],
            file: "r.yaml")
        return Array(record.utf8).withUnsafeBytes { Alert(rule: parsed, record: $0, file: "f", recordIndex: 0) }
    }

    func commit(_ path: String, _ alerts: [Alert]) -> FileCommit {
        var commit = FileCommit(
            identity: FileIdentity(path: path, size: 1, modified: 1, changed: 1, sha256: "abc"), outcome: .done)
        commit.alerts = alerts.map { RoutedAlert(alert: $0, deliveries: [("stdout", Array($0.id.utf8))]) }
        commit.account = "111122223333"
        commit.region = "us-east-1"
        commit.deliveryTime = 1_000
        return commit
    }

    /// A burst of commits while a reader holds an old snapshot grows the WAL far past its
    /// checkpoint size; once the reader lets go, the next checkpoint cuts the file back to the
    /// 4 MiB limit instead of leaving it at the burst's size for as long as the daemon runs.
    @Test func theWALShrinksBackAfterABurstHeldOpenByAReader() throws {
        let ledger = try Ledger(path: path)
        var readerConfiguration = Configuration()
        readerConfiguration.allowsUnsafeTransactions = true  // the snapshot is held across accesses
        let reader = try DatabaseQueue(path: path, configuration: readerConfiguration)
        try reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM files")
        }
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
        func burst(_ prefix: String, files: Int) throws {
            for file in 0..<files {
                var commit = commit("\(prefix)-\(file).json.gz", [])
                commit.alerts = (0..<50).map { index in
                    let alert = alert("\(prefix)-\(file)-\(index)")
                    return RoutedAlert(alert: alert, deliveries: [("stdout", payload)])
                }
                _ = try ledger.commit(commit, now: 1_000)
            }
        }
        try burst("held", files: 20)  // about 16 MiB of outbox, all in the WAL behind the reader
        let wal = path + "-wal"
        func walSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? -1 }
        #expect(try walSize() > 12 << 20)
        try reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try burst("after", files: 8)
        let after = try walSize()
        #expect(after <= 5 << 20, "the WAL stays at \(after) bytes")
    }

    @Test func committingTheSameFileTwiceEnqueuesItsAlertsOnce() throws {
        let ledger = try Ledger(path: path)
        let alerts = [alert("e1"), alert("e2")]
        #expect(try ledger.commit(commit("a.json.gz", alerts), now: 1).newAlerts == 2)
        // A crash before the first commit's effects were seen re-reads the file: nothing new.
        #expect(try ledger.commit(commit("a.json.gz", alerts), now: 2).newAlerts == 0)
        // The same event delivered again in another file is absorbed too.
        #expect(try ledger.commit(commit("b.json.gz", [alert("e2")]), now: 3).newAlerts == 0)
        #expect(try ledger.outboxCounts()["pending"] == 2)
        #expect(try ledger.file(at: "a.json.gz")?.status == .done)
    }

    /// GRDB sets a pool's writer to `synchronous = NORMAL` when it enables WAL; `full` must
    /// survive that, or "survives power loss" would silently not hold.
    @Test(arguments: DaemonConfiguration.Synchronous.allCases)
    func theConfiguredSynchronousLevelIsTheOneTheWriterRunsAt(_ level: DaemonConfiguration.Synchronous) throws {
        let ledger = try Ledger(path: path, synchronous: level)
        #expect(try ledger.synchronousLevel == level.sqliteLevel)
        _ = try ledger.commit(commit("a.json.gz", [alert("e1")]), now: 1)
        #expect(try Ledger(path: path, synchronous: level).synchronousLevel == level.sqliteLevel)
    }

    /// Claims the sink's queue head when it is due.
    func claimHead(_ ledger: Ledger, now: Int64) throws -> OutboxItem? {
        guard let head = try ledger.head(sink: "stdout"), head.due <= now else { return nil }
        return try ledger.claim(sink: "stdout", alertID: head.alertID, now: now)
    }

    @Test func deliveriesInDoubtAreResentOrDroppedPerSink() throws {
        let ledger = try Ledger(path: path)
        _ = try ledger.commit(commit("a.json.gz", [alert("e1"), alert("e2")]), now: 1)
        let first = try #require(try claimHead(ledger, now: 10))
        #expect(first.alertID == alert("e1").id)
        #expect(try ledger.outboxCounts()["inflight"] == 1)
        // The process dies here. On restart:
        let reopened = try Ledger(path: path)
        #expect(try reopened.recoverInFlight(drop: [], now: 20) == (resent: 1, dropped: 0))
        let again = try #require(try claimHead(reopened, now: 30))
        #expect(again.alertID == first.alertID)
        #expect(again.attempts == 2)
        #expect(try reopened.recoverInFlight(drop: ["stdout"], now: 40) == (resent: 0, dropped: 1))
        #expect(try reopened.outboxCounts()["dead"] == 1)
        #expect(try reopened.head(sink: "stdout")?.alertID == alert("e2").id)
    }

    @Test func theQueueHeadWaitsForItsRetryAndKeepsOrder() throws {
        let ledger = try Ledger(path: path)
        _ = try ledger.commit(commit("a.json.gz", [alert("e1"), alert("e2")]), now: 1)
        let item = try #require(try claimHead(ledger, now: 10))
        try ledger.settle([item], .retry(at: 5_000, error: "HTTP 503"), now: 11)
        // e2 is due, but e1 still heads the queue: nothing overtakes it.
        #expect(try ledger.head(sink: "stdout") == OutboxHead(alertID: alert("e1").id, ruleID: "r", due: 5_000))
        #expect(try claimHead(ledger, now: 4_999) == nil)
        let retried = try #require(try claimHead(ledger, now: 5_000))
        #expect(retried.alertID == alert("e1").id && retried.enqueued == 1)
        try ledger.settle([retried], .delivered, now: 5_001)
        #expect(try ledger.head(sink: "stdout")?.alertID == alert("e2").id)
        #expect(try ledger.lastDelivered(sink: "stdout", rule: "r") == 5_001)
        #expect(try ledger.collectGarbage(before: 6_000) == 1)
    }

    @Test func groupedDeliveriesLeaveTheQueueAndComeBackAsOneDigest() throws {
        let ledger = try Ledger(path: path)
        let flood = (1...5).map { alert("f\($0)", rule: "flood") }
        _ = try ledger.commit(commit("a.json.gz", flood + [alert("q1", rule: "quiet")]), now: 1)
        #expect(try ledger.group(sink: "stdout", rule: "flood", until: 60_000, now: 2) == 5)
        // The other rule's alert is now the head; the flood waits for its digest.
        #expect(try ledger.head(sink: "stdout")?.ruleID == "quiet")
        #expect(try ledger.nextDigest(sink: "stdout") == 60_000)
        #expect(try ledger.claimDigest(sink: "stdout", now: 59_999, limit: 100) == nil)
        let digest = try #require(try ledger.claimDigest(sink: "stdout", now: 60_000, limit: 3))
        #expect(digest.alerts.map(\.1.id) == flood.prefix(3).map(\.id))
        #expect(digest.alerts.allSatisfy { $0.0.grouped && $0.0.attempts == 1 })
        #expect(digest.id == AlertDigest(alerts: flood.prefix(3).map { $0 }, shown: 1).id)
        // A failed digest stays grouped for its retry, out of the queue, and stays the same digest.
        try ledger.settle(digest.alerts.map(\.0), .retry(at: 70_000, error: "HTTP 429"), now: 60_001)
        #expect(try ledger.outboxCounts()["grouped"] == 5)
        let retried = try #require(try ledger.claimDigest(sink: "stdout", now: 70_000, limit: 100))
        #expect(retried.id == digest.id && retried.alerts.count == 3)
        // The process dies with the digest in flight; after the restart it is the same digest again.
        #expect(try ledger.recoverInFlight(drop: [], now: 71_000) == (resent: 3, dropped: 0))
        #expect(try ledger.head(sink: "stdout")?.ruleID == "quiet")
        let resent = try #require(try ledger.claimDigest(sink: "stdout", now: 71_000, limit: 100))
        #expect(resent.id == digest.id && resent.alerts.map(\.0.attempts) == [3, 3, 3])
        try ledger.settle(resent.alerts.map(\.0), .delivered, now: 71_001)
        #expect(try ledger.lastDelivered(sink: "stdout", rule: "flood") == 71_001)
        // The two grouped after it make the next digest.
        let next = try #require(try ledger.claimDigest(sink: "stdout", now: 71_002, limit: 100))
        #expect(next.alerts.map(\.1.id) == flood.suffix(2).map(\.id) && next.id != digest.id)
    }

    @Test func aVersionOneLedgerIsMigratedWithItsQueueIntact() throws {
        try state.create()
        do {
            let old = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(old, upTo: "v1")
            try old.write { db in
                for (id, state) in [("a1", "inflight"), ("a2", "pending")] {
                    try db.execute(
                        sql:
                            "INSERT INTO alerts (id, rule_id, severity, alert, created_at) VALUES (?, 'r', 'high', '{}', 7)",
                        arguments: [id])
                    try db.execute(
                        sql: """
                            INSERT INTO outbox (alert_id, sink, state, payload, next_attempt_at, updated_at)
                            VALUES (?, 'stdout', ?, x'00', 9, 9)
                            """,
                        arguments: [id, state])
                }
            }
        }
        let ledger = try Ledger(path: path)
        #expect(try ledger.recoverInFlight(drop: [], now: 20) == (resent: 1, dropped: 0))
        #expect(try ledger.head(sink: "stdout") == OutboxHead(alertID: "a1", ruleID: "r", due: 20))
        let item = try #require(try claimHead(ledger, now: 20))
        #expect(item.enqueued == 7 && item.ruleID == "r")
    }

    @Test func alarmWindowsSurviveAReopen() throws {
        let rules = try Self.burstRules(missing: "missing")
        func file(_ name: String, _ ids: [String]) -> (String, [(String, String, String)]) {
            (name, ids.enumerated().map { index, id in (id, "all", "2026-11-22T10:0\(index):00Z") })
        }
        let ledger = try Ledger(path: path)
        #expect(try commitAlarms(ledger, rules, file("a", ["m1", "m2"]), now: 1).isEmpty)
        // Restart between files: the two matches are still counted.
        let reopened = try Ledger(path: path)
        let firings = try commitAlarms(reopened, rules, file("b", ["m3"]), now: 2)
        #expect(firings.count == 1)
        #expect(firings.first?.alarm?.count == 3)
        // Committing the same file again raises nothing new.
        #expect(try commitAlarms(reopened, rules, file("b", ["m3"]), now: 3).isEmpty)
        // Three matches kept as counts per minute, not as three alerts.
        #expect(try reopened.alarmMatchCount(rule: "burst") == 3)
        #expect(try reopened.alarmMinuteCount(rule: "burst") == 2)  // m1 and m3 share 10:00
    }

    /// A group too small to fire has only the minutes a file shares with it read back (issue
    /// 19): they must still merge, so a repeated event counts once and the burst fires when, and
    /// only when, its third distinct match arrives, counting all its minutes.
    @Test func aGroupTooSmallToFireStillMergesTheMinutesAFileShares() throws {
        let ledger = try Ledger(path: path)
        let rules = try Self.burstRules()
        let now = Self.tenAM + 3_600_000
        #expect(try commitAlarms(ledger, rules, ("a", [("m1", "bob", "2026-11-22T10:00:10Z")]), now: now).isEmpty)
        // m2 in the same minute: written over m1's row unless that row was read and merged.
        #expect(try commitAlarms(ledger, rules, ("b", [("m2", "bob", "2026-11-22T10:00:20Z")]), now: now).isEmpty)
        #expect(try ledger.alarmMatchCount(rule: "burst") == 2)
        // m1 delivered again, and another group's match: still two for bob.
        let c = ("c", [("m1", "bob", "2026-11-22T10:00:10Z"), ("x1", "eve", "2026-11-22T10:00:30Z")])
        #expect(try commitAlarms(ledger, rules, c, now: now).isEmpty)
        #expect(try ledger.alarmMatchCount(rule: "burst") == 3)
        let firings = try commitAlarms(ledger, rules, ("d", [("m3", "bob", "2026-11-22T10:02:00Z")]), now: now)
        #expect(firings.map(\.alarm?.group) == ["bob"])
        #expect(firings.first?.alarm?.count == 3)
    }

    /// v6 stores the minutes in time order; what a v5 ledger counted is still counted.
    @Test func aVersionFiveLedgerKeepsItsAlarmMinutes() throws {
        try state.create()
        let rules = try Self.burstRules()
        do {
            let old = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(old, upTo: "v5")
            var tally = AlarmTally()
            for (index, id) in ["m1", "m2"].enumerated() {
                tally.add(
                    group: "bob",
                    AlarmTrigger(
                        time: Int(Self.tenAM / 1000) + 60 * index, order: UInt64(index), unit: 0, record: index,
                        eventID: EventFingerprint(id.utf8)))
            }
            try old.write { db in
                try Ledger.write([AlarmWrite(ruleID: "burst", minutes: tally.minutes)], fileID: 0, rows: nil, db)
            }
        }
        let ledger = try Ledger(path: path)
        #expect(try ledger.alarmMatchCount(rule: "burst") == 2)
        let now = Self.tenAM + 3_600_000
        let firings = try commitAlarms(ledger, rules, ("c", [("m3", "bob", "2026-11-22T10:02:00Z")]), now: now)
        #expect(firings.first?.alarm?.count == 3)
    }

    /// An alarm rule on `$.a = 1`: 3 matches in 5 minutes, by `$.user`.
    static func burstRules(missing: String = "notBreaching") throws -> RuleSet {
        let yaml = """
            id: burst
            title: burst
            severity: high
            pattern: '{ $.a = 1 }'
            alarm:
              threshold: 3
              period: 300
              evaluation_periods: 1
              treat_missing_data: \(missing)
              group_by: ["$.user"]
            """
        return RuleSet([try #require(RuleFileReader.read(yaml, file: "burst.yaml").rule)])
    }

    /// Commits a file of matches of the burst rule, (eventID, group, eventTime) each, the way the
    /// file processor does (the tally as `FileEvaluator` makes it, `AlarmPlanner`, one commit);
    /// returns the firings it raised. `now` is in ms since 1970.
    func commitAlarms(
        _ ledger: Ledger, _ rules: RuleSet, _ file: (name: String, matches: [(String, String, String)]), now: Int64
    ) throws -> [Alert] {
        var evaluation = FileEvaluation()
        var tally = AlarmTally()
        var lines: [String] = []
        for (index, (id, group, time)) in file.matches.enumerated() {
            let record = #"{"eventID":"\#(id)","eventTime":"\#(time)","a":1,"user":"\#(group)"}"#
            lines.append(record)
            guard let seconds = AlarmEvaluator.seconds(fromEventTime: time) else { continue }
            tally.add(
                group: group,
                AlarmTrigger(
                    time: seconds, order: UInt64(index), unit: 0, record: index, eventID: EventFingerprint(id.utf8)))
            evaluation.triggerRecords[index] = Array(record.utf8)
        }
        evaluation.alarms[0] = tally
        // The file stays in the spool: a later file's firing may be tipped by one of its records.
        try spool.write(file.name, lines.joined(separator: "\n"))
        let planner = AlarmPlanner(
            ledger: ledger, archive: SpoolArchive(spool: spool.path, processed: .keep), limits: .default,
            admission: AlarmAdmission(lateness: .seconds(3 * 86_400), clockSkew: .seconds(900)))
        let plan = try planner.plan(evaluation, rules: rules, path: file.name, now: now)
        var commit = commit(file.name, [])
        commit.alerts = plan.firings.map { RoutedAlert(alert: $0, deliveries: [("stdout", [1])]) }
        commit.alarmWrites = plan.writes
        _ = try ledger.commit(commit, now: now)
        return plan.firings
    }

    /// 2026-11-22T10:00:00Z, in ms: the ledger's `now`.
    static let tenAM: Int64 = 1_795_341_600_000

    /// Failures at 10:03-10:05 in one file and one at 10:00:30 in the next moved the window
    /// start, and so the firing's id: two alerts where replay gives one (issue 17, finding 4).
    @Test(arguments: [false, true])
    func aBurstSplitAcrossFilesRaisesOneAlertInEitherOrder(reversed: Bool) throws {
        let ledger = try Ledger(path: path)
        let rules = try Self.burstRules()
        let burst = (
            "burst",
            [
                ("b3", "bob", "2026-11-22T10:03:00Z"), ("b4", "bob", "2026-11-22T10:04:00Z"),
                ("b5", "bob", "2026-11-22T10:05:00Z"),
            ]
        )
        let early = ("early", [("b0", "bob", "2026-11-22T10:00:30Z")])
        let now = Self.tenAM + 3_600_000
        var firings: [Alert] = []
        for file in reversed ? [early, burst] : [burst, early] {
            firings += try commitAlarms(ledger, rules, file, now: now)
        }
        #expect(firings.count == 1)
        #expect(firings.first?.alarm?.group == "bob")
        // Built from the record that tipped the window: the latest in it when it first fired.
        #expect(firings.first?.eventID == (reversed ? "b4" : "b5"))
        let episodes = try ledger.alarmEpisodes(rule: "burst")
        #expect(episodes.count == 1)
        // The episode begins where all four matches put it: at the end of 10:04.
        #expect(episodes.first?.episode.start == 1_795_341_900)
        #expect(try ledger.outboxCounts()["pending"] == 1)
        // And again after a reopen (a restart, or kill -9 after the commit).
        let reopened = try Ledger(path: path)
        let again = ("again", [("b1", "bob", "2026-11-22T10:01:30Z")])
        #expect(try commitAlarms(reopened, rules, again, now: now).isEmpty)
    }

    /// One failed sign-in in the year 9999 set the whole rule's pruning cut-off to the year 9999,
    /// so no burst after it was ever seen (issue 17, finding 3). Admission keeps such a record
    /// out; the ledger does not depend on that alone.
    @Test func aFarFutureMatchDoesNotForgetAnotherGroupsHistory() throws {
        let ledger = try Ledger(path: path)
        let now = Self.tenAM + 3_600_000
        let rules = try Self.burstRules()
        _ = try commitAlarms(ledger, rules, ("future", [("f", "mallory", "9999-12-31T23:59:59Z")]), now: now)
        _ = try commitAlarms(
            ledger, rules, ("a", [("m1", "bob", "2026-11-22T10:00:00Z"), ("m2", "bob", "2026-11-22T10:01:00Z")]),
            now: now)
        let firings = try commitAlarms(ledger, rules, ("b", [("m3", "bob", "2026-11-22T10:02:00Z")]), now: now)
        #expect(firings.map(\.alarm?.group) == ["bob"])
    }

    /// Within the lateness a late file counts where its event times put it; beyond it, history
    /// is forgotten by the wall clock even for a group no file touches again.
    @Test func lateMatchesCountWithinTheLatenessAndQuietGroupsAreForgottenAfterIt() throws {
        let ledger = try Ledger(path: path)
        let twoDaysLater = Self.tenAM + 2 * 86_400_000
        let rules = try Self.burstRules()
        // A newer file first, then two files two days late, in reverse order.
        _ = try commitAlarms(ledger, rules, ("new", [("n", "bob", "2026-11-24T09:50:00Z")]), now: twoDaysLater)
        _ = try commitAlarms(ledger, rules, ("late2", [("l2", "bob", "2026-11-22T10:02:00Z")]), now: twoDaysLater)
        let late = try commitAlarms(
            ledger, rules, ("late1", [("l0", "bob", "2026-11-22T10:00:00Z"), ("l1", "bob", "2026-11-22T10:01:00Z")]),
            now: twoDaysLater)
        #expect(late.count == 1)
        // Tipped by the record at 10:02, in the file before: read again from the spool.
        #expect(late.first?.eventID == "l2" && late.first?.file == "late2" && late.first?.recordIndex == 0)
        #expect(try ledger.alarmMatchCount(rule: "burst") == 4)
        // Four days on, the sweep keeps a day more than the 3 days of lateness.
        #expect(try ledger.forgetAlarmHistory(now: Self.tenAM + 4 * 86_400_000, alarms: .init()) == 0)
        // Five days on the burst is past any late file's reach; two days more, the newer match too.
        #expect(try ledger.forgetAlarmHistory(now: Self.tenAM + 5 * 86_400_000, alarms: .init()) == 3)
        #expect(try ledger.alarmEpisodes(rule: "burst").isEmpty)
        #expect(try ledger.forgetAlarmHistory(now: Self.tenAM + 7 * 86_400_000, alarms: .init()) == 1)
    }

    /// The record that tipped a window is read again from its file; when that file left the
    /// spool (deleted by the processed action or by hand), the alert still says what fired.
    @Test func aFiringWhoseTippingFileIsGoneStillAlerts() throws {
        let ledger = try Ledger(path: path)
        let rules = try Self.burstRules()
        let now = Self.tenAM + 3_600_000
        _ = try commitAlarms(ledger, rules, ("first", [("f2", "bob", "2026-11-22T10:02:00Z")]), now: now)
        try FileManager.default.removeItem(atPath: spool.path + "/first")
        let firings = try commitAlarms(
            ledger, rules, ("second", [("s0", "bob", "2026-11-22T10:00:00Z"), ("s1", "bob", "2026-11-22T10:01:00Z")]),
            now: now)
        #expect(firings.count == 1)
        let alert = try #require(firings.first)
        #expect(alert.alarm?.group == "bob" && alert.alarm?.count == 3 && alert.ruleID == "burst")
        #expect(alert.eventID == nil && alert.eventTime == "2026-11-22T10:02:00Z" && alert.file == "first")
    }

    /// v3 adds the episodes; an alarm alert enqueued before it becomes a one-minute episode, so
    /// one more match of its burst arriving after the upgrade does not alert again.
    @Test func aVersionTwoLedgerRemembersItsAlarmAlertsAsEpisodes() throws {
        try state.create()
        let firing = alert("b5", rule: "burst", time: "2026-11-22T10:05:00Z").firing(
            group: "bob", windowStart: 1_795_341_780, windowEnd: 1_795_342_080, count: 3)
        do {
            let old = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(old, upTo: "v2")
            try old.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO alerts (id, rule_id, severity, alert, created_at) VALUES (?, 'burst', 'high', ?, 7)",
                    arguments: [firing.id, String(decoding: try JSONEncoder().encode(firing), as: UTF8.self)])
                try db.execute(
                    sql:
                        "INSERT INTO alerts (id, rule_id, severity, alert, created_at) VALUES ('plain', 'r', 'high', '{}', 7)"
                )
                // One match in the year 9999, one of today: only the forged one goes.
                for (id, time) in [("forged", 253_402_300_799), ("today", Int(Date().timeIntervalSince1970))] {
                    try db.execute(
                        sql: """
                            INSERT INTO alarm_matches (rule_id, grp, match_id, event_time, alert)
                            VALUES ('burst', 'bob', ?, ?, '{}')
                            """,
                        arguments: [id, time])
                }
            }
        }
        let ledger = try Ledger(path: path)
        #expect(try ledger.alarmMatchCount(rule: "burst") == 1)
        #expect(
            try ledger.alarmEpisodes(rule: "burst").map(\.episode)
                == [AlarmEpisode(start: 1_795_342_080, end: 1_795_342_140, alertID: firing.id)])
        #expect(try ledger.alarmEpisodes(rule: "r").isEmpty)
    }

    @Test func deliveryGapIsRecordedOnce() throws {
        let ledger = try Ledger(path: path)
        _ = try ledger.commit(commit("a.json.gz", []), now: 1)
        let stream = try #require(try ledger.streams().first)
        #expect(stream.lastDelivery == 1_000)
        let decision = DeliveryGapPolicy.Decision.open(stream)
        let alert = decision.alert(severity: .high, now: 99_999)
        try ledger.apply(decision, alert: RoutedAlert(alert: alert, deliveries: [("stdout", [1])]), now: 5)
        try ledger.apply(decision, alert: RoutedAlert(alert: alert, deliveries: [("stdout", [1])]), now: 6)
        #expect(try ledger.streams().first?.gapSince == 1_000)
        #expect(try ledger.outboxCounts()["pending"] == 1)
    }

    @Test("a ledger migrated by a newer version is refused, naming the migration; this version's own reopen is fine")
    func newerSchemaIsRefused() throws {
        _ = try Ledger(path: path)
        _ = try Ledger(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v42-future')") }
        for open in [{ try Ledger(path: path) }, { try Ledger(readingAt: path) }] as [() throws -> Ledger] {
            #expect {
                _ = try open()
            } throws: { error in
                "\(error)".contains(
                    "written by a newer trailhound (schema migration v42-future, unknown to this version")
            }
        }
    }

    @Test("file problems are counted per attempt, cleared by a commit, and directories replaced by each scan")
    func fileProblems() throws {
        let ledger = try Ledger(path: path)
        #expect(try ledger.recordProblem(path: "a.json.gz", reason: "Permission denied", now: 10).attempts == 1)
        let second = try ledger.recordProblem(path: "a.json.gz", reason: "Too many open files", now: 20)
        #expect(second.attempts == 2 && second.firstAt == 10 && second.lastAt == 20)
        #expect(second.reason == "Too many open files")
        try ledger.replaceDirectoryProblems(["d1": "no", "d2": "no"], now: 30)
        #expect(try ledger.problems().map(\.path) == ["a.json.gz", "d1", "d2"])
        try ledger.replaceDirectoryProblems(["d2": "still no"], now: 40)
        #expect(try ledger.problems().map(\.path) == ["a.json.gz", "d2"])
        _ = try ledger.commit(commit("a.json.gz", []), now: 50)
        #expect(try ledger.problems().map(\.path) == ["d2"])
    }

    @Test("requeue releases only quarantined files, once, for the spool loop to take")
    func requeueReleasesQuarantinedFiles() throws {
        let ledger = try Ledger(path: path)
        _ = try ledger.commit(commit("done.json.gz", []), now: 1)
        _ = try ledger.commit(
            FileCommit(
                identity: FileIdentity(path: "bad.json.gz", size: 1, modified: 1, changed: 1, sha256: ""),
                outcome: .quarantined(reason: "corrupt")), now: 2)
        #expect(try ledger.quarantinedPaths() == ["bad.json.gz"])
        _ = try ledger.commit(
            FileCommit(
                identity: FileIdentity(path: "stuck.json.gz", size: 1, modified: 1, changed: 1, sha256: ""),
                outcome: .quarantined(reason: "corrupt")), now: 2)
        struct CannotMove: Error {}
        let outcome = try ledger.requeue(paths: ["done.json.gz", "bad.json.gz", "nothing", "stuck.json.gz"], now: 3) {
            if $0 == "stuck.json.gz" { throw CannotMove() }
        }
        #expect(outcome.released == ["bad.json.gz"])
        #expect(outcome.failed.keys.sorted() == ["stuck.json.gz"])
        // A file that could not be put back keeps its quarantined row.
        #expect(try ledger.file(at: "stuck.json.gz")?.status == .quarantined)
        #expect(try ledger.file(at: "bad.json.gz") == nil)
        #expect(try ledger.file(at: "done.json.gz")?.status == .done)
        #expect(try ledger.takeRequeued() == ["bad.json.gz"])
        #expect(try ledger.takeRequeued() == [])
    }
}
