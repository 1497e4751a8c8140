import Foundation
import GRDB
import NIOConcurrencyHelpers
package import TrailEngine
package import TrailRules

/// What the ledger holds of one alarm rule for the groups a file touches: their minutes and
/// their episodes of ALARM already alerted.
package struct StoredAlarmState: Sendable {
    package var tally = AlarmTally()
    package var episodes: [String: [AlarmEpisode]] = [:]

    package init() {}
}

/// One alarm rule's part of a file's commit: what `AlarmDecision` said to keep.
package struct AlarmWrite: Sendable {
    package var ruleID: String
    package var decision: AlarmDecision

    package init(ruleID: String, decision: AlarmDecision) {
        self.ruleID = ruleID
        self.decision = decision
    }

    /// Minutes to store as they are (the v5 migration's conversion).
    init(ruleID: String, minutes: [AlarmTally.Key: AlarmMinute]) {
        self.ruleID = ruleID
        decision = AlarmDecision()
        decision.minutes = minutes
    }
}

/// Alarm state in the ledger: per rule (by number, `alarm_rules`), minute of event time and group
/// (by fingerprint), the count, the events counted (16-byte fingerprints) and where the minute's
/// latest match is (a file, by id in `alarm_files`, and a record index); and the episodes of
/// ALARM already alerted. Its size follows groups and minutes, not matches, and the sweep forgets
/// what no late file can need. The rows are in time order, and `AlarmRowIndex` finds a group's.
///
/// The ledger decides nothing here: the file processor reads a group's state, `AlarmDecision`
/// decides, and the file's one transaction writes the decision with the file's alerts (firings
/// included) and its done mark, so an alert and the episode it stands for are committed together
/// or not at all (a kill -9 between them re-reads the file, and the episode then absorbs the repeat).
extension Ledger {
    /// The unit that stands for the file being committed in its triggers: its id in
    /// `alarm_files` is given in the commit.
    package static let committingFile = 0

    /// What the ledger holds of the alarm rule `ruleID` for the groups `file` (a file's tally)
    /// touches: their episodes, and of their stored minutes those `reach` says the decision
    /// needs (`AlarmDecision.Reach`), given each group's count (stored and the file's) and the
    /// file's minutes of it.
    ///
    /// Read through the writer connection, whose page cache holds what the commits before wrote
    /// (a reader's is emptied by every commit, and each lookup would read its pages again).
    package func alarmState(
        ruleID: String, file: AlarmTally, reach: (_ total: Int, _ fileMinutes: [Int]) -> AlarmDecision.Reach
    ) throws(LedgerError) -> StoredAlarmState {
        var touched: [String: (minutes: [Int], total: Int)] = [:]
        for (key, minute) in file.minutes {
            touched[key.group, default: ([], 0)].minutes.append(key.minute)
            touched[key.group]!.total += minute.count
        }
        return try readThroughWriter("read alarm state") { db in
            var state = StoredAlarmState()
            guard let rule = try Self.ruleNumber(ruleID, db) else { return state }
            // The index says which minutes each group has, and their counts: most groups a file
            // touches have none, and each minute read is a key lookup in the table's time order.
            let listed = alarmRows.withLockedValue { index in
                touched.compactMap { group, new -> (String, EventFingerprint, [Int])? in
                    let key = EventFingerprint(group)
                    let minutes = index.minutes(rule: rule, group: key)
                    if minutes.isEmpty { return nil }
                    let wanted: [Int]
                    switch reach(minutes.reduce(new.total) { $0 + Int($1.count) }, new.minutes) {
                    case .all:
                        wanted = minutes.map { Int($0.minute) }
                    case .minutes(let range):
                        wanted = minutes.map { Int($0.minute) }.filter { range.contains($0) }
                    case .shared:
                        let shared = Set(new.minutes)
                        wanted = minutes.map { Int($0.minute) }.filter { shared.contains($0) }
                    }
                    return wanted.isEmpty ? nil : (group, key, wanted)
                }
            }
            let lookup = try db.cachedStatement(
                sql: """
                    SELECT event_ids, anonymous, trigger_time, trigger_order, trigger_file, trigger_record,
                        trigger_event
                    FROM alarm_minutes WHERE rule = ? AND minute = ? AND grp = ?
                    """)
            for (group, key, minutes) in listed {
                for minute in minutes {
                    let row = RawStatement(lookup)
                    row.bind(1, rule)
                    row.bind(2, minute)
                    Self.withBlob([key]) { row.bind(3, $0) }
                    guard try row.step() else { continue }
                    defer { row.finish() }
                    let ids = Self.fingerprints(row.blob(0))
                    let anonymous = row.int(1)
                    // NULL: the trigger's event is the minute's only one (or it has none).
                    let event =
                        row.isNull(6)
                        ? (ids.count == 1 && anonymous == 0 ? ids.first : nil) : Self.fingerprints(row.blob(6)).first
                    let trigger = AlarmTrigger(
                        time: row.int(2), order: UInt64(bitPattern: Int64(row.int(3))), unit: row.int(4),
                        record: row.int(5), eventID: event)
                    state.tally.set(
                        .init(group: group, minute: minute),
                        AlarmMinute(eventIDs: ids, anonymous: anonymous, trigger: trigger))
                }
            }
            // Only the episodes of groups that have any (most have none), each by its key.
            let withEpisodes = alarmRows.withLockedValue { index in
                touched.keys.filter { index.hasEpisodes(rule: ruleID, group: $0) }
            }
            let episodes = try db.cachedStatement(
                sql: "SELECT start_time, end_time, alert_id FROM alarm_episodes WHERE rule_id = ? AND grp = ? ORDER BY start_time")
            for group in withEpisodes {
                let rows = try Row.fetchCursor(episodes, arguments: [ruleID, group])
                while let row = try rows.next() {
                    state.episodes[group, default: []].append(AlarmEpisode(start: row[0], end: row[1], alertID: row[2]))
                }
            }
            return state
        }
    }

    /// The number `alarm_minutes` knows the rule `ruleID` by, if it has any minutes.
    static func ruleNumber(_ ruleID: String, _ db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT id FROM alarm_rules WHERE rule_id = ?", arguments: [ruleID])
    }

    /// The path (relative to the spool) of the file a stored trigger names.
    package func alarmFilePath(_ unit: Int) throws(LedgerError) -> String? {
        try read("read alarm file") { db in
            try String.fetchOne(db, sql: "SELECT path FROM alarm_files WHERE id = ?", arguments: [unit])
        }
    }

    /// Writes the alarm decisions of the file at `path`, in its commit's transaction.
    func write(_ writes: [AlarmWrite], file path: String, _ db: Database) throws {
        guard writes.contains(where: { !$0.decision.minutes.isEmpty || !$0.decision.episodes.isEmpty }) else { return }
        try db.execute(sql: "INSERT OR IGNORE INTO alarm_files (path) VALUES (?)", arguments: [path])
        let fileID = try Int.fetchOne(db, sql: "SELECT id FROM alarm_files WHERE path = ?", arguments: [path]) ?? 0
        try Self.write(writes, fileID: fileID, rows: alarmRows, db)
    }

    /// Writes alarm decisions; a trigger in the file being committed is in file `fileID`. `rows`
    /// is the ledger's index of the table, which learns of each row written now and of each row
    /// forgotten once the transaction has committed (nil in a migration: the index is built after).
    static func write(
        _ writes: [AlarmWrite], fileID: Int, rows: NIOLockedValueBox<AlarmRowIndex>?, _ db: Database
    ) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO alarm_minutes (rule, grp, minute, event_ids, anonymous, trigger_time,
                    trigger_order, trigger_file, trigger_record, trigger_event)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let forget = try db.cachedStatement(sql: "DELETE FROM alarm_minutes WHERE rule = ? AND minute = ? AND grp = ?")
        let addRule = try db.cachedStatement(sql: "INSERT OR IGNORE INTO alarm_rules (rule_id) VALUES (?)")
        let dropEpisodes = try db.cachedStatement(sql: "DELETE FROM alarm_episodes WHERE rule_id = ? AND grp = ?")
        let addEpisode = try db.cachedStatement(
            sql: "INSERT INTO alarm_episodes (rule_id, grp, start_time, end_time, alert_id) VALUES (?, ?, ?, ?, ?)")
        var forgotten: [(rule: Int, group: EventFingerprint, minutes: [Int])] = []
        for write in writes {
            try addRule.execute(arguments: [write.ruleID])
            let rule = try ruleNumber(write.ruleID, db) ?? 0
            // A group is stored as its 16-byte fingerprint (exact for names of up to 15 bytes, a
            // 128-bit hash of longer ones such as ARNs); each is computed once per commit.
            var keys: [String: EventFingerprint] = [:]
            func key(_ group: String) -> EventFingerprint {
                if let known = keys[group] { return known }
                let key = EventFingerprint(group)
                keys[group] = key
                return key
            }
            for (group, cut) in write.decision.forgetBefore {
                let group = key(group)
                let old = rows?.withLockedValue { $0.minutes(rule: rule, group: group) }.map { Int($0.minute) }.filter {
                    $0 < cut
                } ?? []
                for minute in old {
                    let statement = RawStatement(forget)
                    statement.bind(1, rule)
                    statement.bind(2, minute)
                    withBlob([group]) { statement.bind(3, $0) }
                    try statement.run()
                }
                if !old.isEmpty { forgotten.append((rule, group, old)) }
            }
            let written = write.decision.minutes.map { (key: $0.key, group: key($0.key.group), minute: $0.value) }
            rows?.withLockedValue { index in
                for entry in written {
                    index.insert(rule: rule, group: entry.group, minute: entry.key.minute, count: entry.minute.count)
                }
            }
            for (entry, group, minute) in written {
                let trigger = minute.trigger
                let ids = minute.eventIDs
                // The trigger's event is not stored again when it is the minute's only one.
                let implied = ids.count == 1 && minute.anonymous == 0 && trigger.eventID == ids.first
                let statement = RawStatement(upsert)
                statement.bind(1, rule)
                withBlob([group]) { statement.bind(2, $0) }
                statement.bind(3, entry.minute)
                withBlob(ids) { statement.bind(4, $0) }
                statement.bind(5, minute.anonymous)
                statement.bind(6, trigger.time)
                statement.bind(7, trigger.order)
                statement.bind(8, trigger.unit == committingFile ? fileID : trigger.unit)
                statement.bind(9, trigger.record)
                if !implied, let event = trigger.eventID {
                    withBlob([event]) { statement.bind(10, $0) }
                } else {
                    statement.bindNull(10)
                }
                try statement.run()
            }
            for (group, episodes) in write.decision.episodes {
                rows?.withLockedValue { $0.insertEpisodes(rule: write.ruleID, group: group) }
                try dropEpisodes.execute(arguments: [write.ruleID, group])
                for episode in episodes {
                    try addEpisode.execute(
                        arguments: [write.ruleID, group, episode.start, episode.end, episode.alertID])
                }
            }
        }
        if let rows, !forgotten.isEmpty {
            db.afterNextTransaction(onCommit: { [forgotten] _ in
                rows.withLockedValue { index in
                    for entry in forgotten { index.remove(rule: entry.rule, group: entry.group, minutes: entry.minutes) }
                }
            })
        }
    }

    /// Forgets the alarm minutes and episodes no late file can need any more, at `now` (ms since
    /// 1970), for every rule and group, including groups no file has touched for days (a commit
    /// only forgets in the groups it touches), and the files no minute names. Returns how many
    /// minutes were forgotten.
    package func forgetAlarmHistory(now: Int64, alarms: DaemonConfiguration.Alarms) throws(LedgerError) -> Int {
        let horizon = AlarmAdmission(alarms).sweepHorizon(now: Int(now / 1000))
        return try write("forget alarm history") { db in
            let cut = AlarmEvaluator.floorDiv(horizon, 60)
            // Per rule, so each is a range at the front of the rule's minutes.
            try db.execute(
                sql: "DELETE FROM alarm_minutes WHERE rule IN (SELECT id FROM alarm_rules) AND minute < ?",
                arguments: [cut])
            let minutes = db.changesCount
            try db.execute(sql: "DELETE FROM alarm_episodes WHERE end_time < ?", arguments: [horizon])
            if minutes > 0 {
                try db.execute(
                    sql: "DELETE FROM alarm_files WHERE id NOT IN (SELECT DISTINCT trigger_file FROM alarm_minutes)")
            }
            // The groups that still have episodes, as this transaction leaves them.
            let withEpisodes = try Row.fetchAll(db, sql: "SELECT DISTINCT rule_id, grp FROM alarm_episodes").map {
                (rule: $0[0] as String, group: $0[1] as String)
            }
            let rows = alarmRows
            db.afterNextTransaction(onCommit: { _ in
                rows.withLockedValue {
                    $0.removeAll(before: cut)
                    $0.setEpisodes(withEpisodes)
                }
            })
            return minutes
        }
    }

    /// The episodes of ALARM the ledger remembers for `rule`, by group, in start order.
    package func alarmEpisodes(rule: String) throws(LedgerError) -> [(group: String, episode: AlarmEpisode)] {
        try read("list alarm episodes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT grp, start_time, end_time, alert_id FROM alarm_episodes WHERE rule_id = ?
                    ORDER BY grp, start_time
                    """,
                arguments: [rule]
            ).map {
                ($0["grp"], AlarmEpisode(start: $0["start_time"], end: $0["end_time"], alertID: $0["alert_id"]))
            }
        }
    }

    /// How many alarm matches the ledger counts for `rule` (over all groups and minutes kept).
    package func alarmMatchCount(rule: String) throws(LedgerError) -> Int {
        try read("count alarm matches") { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(length(event_ids) / 16 + anonymous), 0) FROM alarm_minutes
                    WHERE rule = (SELECT id FROM alarm_rules WHERE rule_id = ?)
                    """,
                arguments: [rule]) ?? 0
        }
    }

    /// How many minutes of alarm state the ledger keeps for `rule`.
    package func alarmMinuteCount(rule: String) throws(LedgerError) -> Int {
        try read("count alarm minutes") { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM alarm_minutes WHERE rule = (SELECT id FROM alarm_rules WHERE rule_id = ?)",
                arguments: [rule]) ?? 0
        }
    }

    static func blob(_ ids: [EventFingerprint]) -> Data { withBlob(ids) { Data($0) } }

    /// Calls `body` with the fingerprints' bytes as a blob column stores them (16 each, big-endian).
    static func withBlob<T>(_ ids: [EventFingerprint], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(ids.count * 2, 1)) { words in
            for (offset, id) in ids.enumerated() {
                words[offset * 2] = id.high.bigEndian
                words[offset * 2 + 1] = id.low.bigEndian
            }
            return try body(UnsafeRawBufferPointer(start: words.baseAddress, count: ids.count * 16))
        }
    }

    static func fingerprints(_ data: Data) -> [EventFingerprint] { data.withUnsafeBytes { fingerprints($0) } }

    /// The fingerprints in a blob column's bytes (a trailing partial one is ignored).
    static func fingerprints(_ bytes: UnsafeRawBufferPointer) -> [EventFingerprint] {
        (0..<bytes.count / 16).map { index in
            EventFingerprint(
                high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)),
                low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self)))
        }
    }
}
