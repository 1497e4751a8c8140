import Foundation
import GRDB
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

/// Alarm state in the ledger: per rule (by number, `alarm_rules`), group (by fingerprint) and
/// minute of event time, the count, the events counted (16-byte fingerprints) and where the
/// minute's latest match is (a file, by id in `alarm_files`, and a record index); and the
/// episodes of ALARM already alerted. Its size
/// follows groups and minutes, not matches, and the sweep forgets what no late file can need.
///
/// The ledger decides nothing here: the file processor reads a group's state, `AlarmDecision`
/// decides, and the file's one transaction writes the decision with the file's alerts (firings
/// included) and its done mark, so an alert and the episode it stands for are committed together
/// or not at all (a kill -9 between them re-reads the file, and the episode then absorbs the repeat).
extension Ledger {
    /// The unit that stands for the file being committed in its triggers: its id in
    /// `alarm_files` is given in the commit.
    package static let committingFile = 0

    /// The stored minutes and episodes of `groups` of the alarm rule `ruleID`.
    package func alarmState(ruleID: String, groups: Set<String>) throws(LedgerError) -> StoredAlarmState {
        try read("read alarm state") { db in
            var state = StoredAlarmState()
            guard let rule = try Self.ruleNumber(ruleID, db) else { return state }
            let keys = Dictionary(groups.map { (Self.groupKey($0), $0) }, uniquingKeysWith: { first, _ in first })
            try Self.inChunks(Array(keys.keys)) { chunk, marks in
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT grp, minute, event_ids, anonymous, trigger_time, trigger_order, trigger_file,
                            trigger_record, trigger_event
                        FROM alarm_minutes WHERE rule = ? AND grp IN (\(marks))
                        """,
                    arguments: StatementArguments([rule] + chunk.map { $0 as any DatabaseValueConvertible }))
                while let row = try rows.next() {
                    guard let group = keys[row[0]] else { continue }
                    let ids = Self.fingerprints(row[2])
                    let anonymous: Int = row[3]
                    // NULL: the trigger's event is the minute's only one (or it has none).
                    let event =
                        (row[8] as Data?).flatMap { Self.fingerprints($0).first }
                        ?? (ids.count == 1 && anonymous == 0 ? ids.first : nil)
                    let trigger = AlarmTrigger(
                        time: row[4], order: UInt64(row[5] as Int64), unit: row[6], record: row[7], eventID: event)
                    state.tally.set(
                        .init(group: group, minute: row[1]),
                        AlarmMinute(eventIDs: ids, anonymous: anonymous, trigger: trigger))
                }
            }
            // Only the groups' episodes (the primary key leads with rule and group), not every
            // episode the rule has had.
            try Self.inChunks(Array(groups)) { chunk, marks in
                let episodes = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT grp, start_time, end_time, alert_id FROM alarm_episodes
                        WHERE rule_id = ? AND grp IN (\(marks)) ORDER BY grp, start_time
                        """,
                    arguments: StatementArguments([ruleID] + chunk.map { $0 as any DatabaseValueConvertible }))
                while let row = try episodes.next() {
                    let group: String = row[0]
                    state.episodes[group, default: []].append(AlarmEpisode(start: row[1], end: row[2], alertID: row[3]))
                }
            }
            return state
        }
    }

    /// Calls `body` with `values` in chunks of up to 500, each with its SQL placeholders (`?, ?`):
    /// a rule grouped by principal touches a thousand groups in a file, and a few `IN` queries
    /// cost less than one query per group.
    private static func inChunks<Value>(_ values: [Value], _ body: (ArraySlice<Value>, String) throws -> Void) rethrows
    {
        for start in stride(from: 0, to: values.count, by: 500) {
            let chunk = values[start..<min(start + 500, values.count)]
            try body(chunk, Array(repeating: "?", count: chunk.count).joined(separator: ", "))
        }
    }

    /// The number `alarm_minutes` knows the rule `ruleID` by, if it has any minutes.
    static func ruleNumber(_ ruleID: String, _ db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT id FROM alarm_rules WHERE rule_id = ?", arguments: [ruleID])
    }

    /// A group as `alarm_minutes` keys it: its 16-byte fingerprint (exact for names of up to 15
    /// bytes; a 128-bit hash of longer ones, such as ARNs).
    static func groupKey(_ group: String) -> Data { blob([EventFingerprint(group.utf8)]) }

    /// The path (relative to the spool) of the file a stored trigger names.
    package func alarmFilePath(_ unit: Int) throws(LedgerError) -> String? {
        try read("read alarm file") { db in
            try String.fetchOne(db, sql: "SELECT path FROM alarm_files WHERE id = ?", arguments: [unit])
        }
    }

    /// Writes the alarm decisions of the file at `path`, in its commit's transaction.
    static func write(_ writes: [AlarmWrite], file path: String, _ db: Database) throws {
        guard writes.contains(where: { !$0.decision.minutes.isEmpty || !$0.decision.episodes.isEmpty }) else { return }
        try db.execute(sql: "INSERT OR IGNORE INTO alarm_files (path) VALUES (?)", arguments: [path])
        let fileID = try Int.fetchOne(db, sql: "SELECT id FROM alarm_files WHERE path = ?", arguments: [path]) ?? 0
        try write(writes, fileID: fileID, db)
    }

    /// Writes alarm decisions; a trigger in the file being committed is in file `fileID`.
    static func write(_ writes: [AlarmWrite], fileID: Int, _ db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO alarm_minutes (rule, grp, minute, event_ids, anonymous, trigger_time,
                    trigger_order, trigger_file, trigger_record, trigger_event)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let forget = try db.cachedStatement(sql: "DELETE FROM alarm_minutes WHERE rule = ? AND grp = ? AND minute < ?")
        for write in writes {
            try db.execute(sql: "INSERT OR IGNORE INTO alarm_rules (rule_id) VALUES (?)", arguments: [write.ruleID])
            let rule = try ruleNumber(write.ruleID, db) ?? 0
            for (group, cut) in write.decision.forgetBefore {
                try forget.execute(arguments: [rule, groupKey(group), cut])
            }
            for (key, minute) in write.decision.minutes {
                let trigger = minute.trigger
                let unit = trigger.unit == committingFile ? fileID : trigger.unit
                let ids = minute.eventIDs
                // The trigger's event is not stored again when it is the minute's only one.
                let implied = ids.count == 1 && minute.anonymous == 0 && trigger.eventID == ids.first
                try upsert.execute(arguments: [
                    rule, groupKey(key.group), key.minute, blob(ids), minute.anonymous, trigger.time,
                    Int64(bitPattern: trigger.order), unit, trigger.record,
                    implied ? nil : trigger.eventID.map { blob([$0]) },
                ])
            }
            for (group, episodes) in write.decision.episodes {
                try db.execute(
                    sql: "DELETE FROM alarm_episodes WHERE rule_id = ? AND grp = ?", arguments: [write.ruleID, group])
                for episode in episodes {
                    try db.execute(
                        sql: """
                            INSERT INTO alarm_episodes (rule_id, grp, start_time, end_time, alert_id)
                            VALUES (?, ?, ?, ?, ?)
                            """,
                        arguments: [write.ruleID, group, episode.start, episode.end, episode.alertID])
                }
            }
        }
    }

    /// Forgets the alarm minutes and episodes no late file can need any more, at `now` (ms since
    /// 1970), for every rule and group, including groups no file has touched for days (a commit
    /// only forgets in the groups it touches), and the files no minute names. Returns how many
    /// minutes were forgotten.
    package func forgetAlarmHistory(now: Int64, alarms: DaemonConfiguration.Alarms) throws(LedgerError) -> Int {
        let horizon = AlarmAdmission(alarms).sweepHorizon(now: Int(now / 1000))
        return try write("forget alarm history") { db in
            try db.execute(
                sql: "DELETE FROM alarm_minutes WHERE minute < ?",
                arguments: [AlarmEvaluator.floorDiv(horizon, 60)])
            let minutes = db.changesCount
            try db.execute(sql: "DELETE FROM alarm_episodes WHERE end_time < ?", arguments: [horizon])
            if minutes > 0 {
                try db.execute(
                    sql: "DELETE FROM alarm_files WHERE id NOT IN (SELECT DISTINCT trigger_file FROM alarm_minutes)")
            }
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

    static func blob(_ ids: [EventFingerprint]) -> Data {
        var data = Data(capacity: ids.count * 16)
        for id in ids {
            withUnsafeBytes(of: id.high.bigEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: id.low.bigEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func fingerprints(_ data: Data) -> [EventFingerprint] {
        let bytes = [UInt8](data)
        func word(_ start: Int) -> UInt64 { bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        return stride(from: 0, to: bytes.count - bytes.count % 16, by: 16).map {
            EventFingerprint(high: word($0), low: word($0 + 8))
        }
    }
}
