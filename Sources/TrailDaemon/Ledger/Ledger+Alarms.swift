import Foundation
import GRDB
import TrailRules

/// Alarm state in the ledger: the matches each alarm rule counts, per group, and the episodes of
/// ALARM already alerted. Both are written in the file's one transaction, so an alert and the
/// episode it stands for are committed together or not at all (a kill -9 between them re-reads
/// the file, and the episode then absorbs the repeat).
extension Ledger {
    /// Stores the file's alarm matches and evaluates the windows of every group they touch over
    /// that group's stored history, as `replay` evaluates them over all files: late and
    /// out-of-order matches count where their event time puts them. An evaluation that finds a
    /// known episode of ALARM again (lengthened or begun earlier by the new matches) raises
    /// nothing; only a new episode raises its one alert.
    static func evaluateAlarms(
        _ commit: FileCommit, now: Int64, route: (Alert) -> [(sink: String, payload: [UInt8])], _ db: Database
    ) throws -> [Alert] {
        guard !commit.alarmMatches.isEmpty else { return [] }
        let encoder = JSONEncoder()
        var touched: [String: (spec: AlarmSpec, groups: Set<String>)] = [:]
        for (ruleID, spec, match) in commit.alarmMatches {
            guard let time = match.time else { continue }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO alarm_matches (rule_id, grp, match_id, event_time, alert)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ruleID, match.group, match.alert.eventID ?? match.alert.id, time,
                    String(decoding: try encoder.encode(match.alert), as: UTF8.self),
                ])
            touched[ruleID, default: (spec, [])].groups.insert(match.group)
        }
        var firings: [Alert] = []
        for (ruleID, entry) in touched.sorted(by: { $0.key < $1.key }) {
            for group in entry.groups.sorted() {
                let alerts = try evaluate(
                    ruleID: ruleID, spec: entry.spec, group: group, admission: AlarmAdmission(commit.alarms),
                    now: now, db)
                for alert in alerts {
                    let routed = RoutedAlert(alert: alert, deliveries: route(alert))
                    if try insert(routed, file: commit.identity.path, now: now, db) { firings.append(alert) }
                }
            }
        }
        return firings
    }

    /// Evaluates one group of one rule over its stored matches, after forgetting what no late
    /// match can need; records its episodes; returns the alerts of episodes not seen before.
    private static func evaluate(
        ruleID: String, spec: AlarmSpec, group: String, admission: AlarmAdmission, now: Int64, _ db: Database
    ) throws -> [Alert] {
        let key: StatementArguments = [ruleID, group]
        let newest = try Int.fetchOne(
            db, sql: "SELECT max(event_time) FROM alarm_matches WHERE rule_id = ? AND grp = ?", arguments: key)
        let horizon = admission.horizon(
            now: Int(now / 1000), newest: newest, span: spec.period * spec.evaluationPeriods)
        try db.execute(
            sql: "DELETE FROM alarm_matches WHERE rule_id = ? AND grp = ? AND event_time < ?",
            arguments: key + [horizon])
        try db.execute(
            sql: "DELETE FROM alarm_episodes WHERE rule_id = ? AND grp = ? AND end_time < ?",
            arguments: key + [horizon])
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT rowid, match_id, event_time FROM alarm_matches WHERE rule_id = ? AND grp = ?
                ORDER BY event_time, rowid
                """,
            arguments: key)
        let matches = rows.enumerated().map { index, row in
            AlarmEvaluator.Match(time: row["event_time"], group: group, eventID: row["match_id"], tag: index)
        }
        let stored = try Row.fetchAll(
            db,
            sql: """
                SELECT start_time, end_time, alert_id FROM alarm_episodes WHERE rule_id = ? AND grp = ?
                ORDER BY start_time
                """,
            arguments: key
        ).map { AlarmEpisode(start: $0["start_time"], end: $0["end_time"], alertID: $0["alert_id"]) }
        let plan = AlarmEpisode.reconcile(
            stored: stored, firings: AlarmEvaluator(spec).evaluate(matches), notBefore: horizon,
            alertID: { Alert.firingID(ruleID: ruleID, group: group, windowStart: $0.windowStart) })
        if plan.episodes != stored {
            try db.execute(sql: "DELETE FROM alarm_episodes WHERE rule_id = ? AND grp = ?", arguments: key)
            for episode in plan.episodes {
                try db.execute(
                    sql: """
                        INSERT INTO alarm_episodes (rule_id, grp, start_time, end_time, alert_id)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: key + [episode.start, episode.end, episode.alertID])
            }
        }
        let decoder = JSONDecoder()
        return try plan.fire.map { firing in
            // Only the match that tipped the window is decoded: the alert is built from it.
            let json = try String.fetchOne(
                db, sql: "SELECT alert FROM alarm_matches WHERE rowid = ?",
                arguments: [rows[firing.trigger]["rowid"] as Int64])
            let trigger = try decoder.decode(Alert.self, from: Data((json ?? "").utf8))
            return trigger.firing(
                group: group, windowStart: firing.windowStart, windowEnd: firing.at, count: firing.count)
        }
    }

    /// Forgets the alarm matches and episodes no late file can need any more, at `now` (ms since
    /// 1970), for every rule and group, including groups no file has touched for days (a commit
    /// only prunes the groups it touches). Returns how many matches were forgotten.
    package func forgetAlarmHistory(now: Int64, alarms: DaemonConfiguration.Alarms) throws(LedgerError) -> Int {
        let horizon = AlarmAdmission(alarms).sweepHorizon(now: Int(now / 1000))
        return try write("forget alarm history") { db in
            try db.execute(sql: "DELETE FROM alarm_matches WHERE event_time < ?", arguments: [horizon])
            let matches = db.changesCount
            try db.execute(sql: "DELETE FROM alarm_episodes WHERE end_time < ?", arguments: [horizon])
            return matches
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

    /// How many alarm matches the ledger holds for `rule`.
    package func alarmMatchCount(rule: String) throws(LedgerError) -> Int {
        try read("count alarm matches") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM alarm_matches WHERE rule_id = ?", arguments: [rule]) ?? 0
        }
    }
}
