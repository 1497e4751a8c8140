import Foundation
import GRDB
package import TrailRules

/// One delivery taken from the outbox.
package struct OutboxItem: Sendable, Hashable {
    package var alertID: String
    package var sink: String
    package var ruleID: String
    package var payload: [UInt8]
    /// Attempts so far, this one included.
    package var attempts: Int
    /// When the alert was enqueued (ms since 1970): the retry age counts from here.
    package var enqueued: Int64
    /// Part of a digest: a retry keeps it grouped rather than back in the queue.
    package var grouped = false
}

/// The oldest pending delivery of a sink: the one that goes next, whatever its retry time, so
/// that a sink delivers in order.
package struct OutboxHead: Sendable, Hashable {
    package var alertID: String
    package var ruleID: String
    /// Not before this time (ms since 1970).
    package var due: Int64
}

extension Ledger {
    /// The sink's queue head: its oldest pending delivery (enqueue order), due or not.
    package func head(sink: String) throws(LedgerError) -> OutboxHead? {
        try read("find the next delivery for \(sink)") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT alert_id, rule_id, next_attempt_at FROM outbox INDEXED BY outbox_queue
                    WHERE sink = ? AND state = 'pending' ORDER BY rowid LIMIT 1
                    """,
                arguments: [sink]
            ).map { OutboxHead(alertID: $0["alert_id"], ruleID: $0["rule_id"], due: $0["next_attempt_at"]) }
        }
    }

    /// Marks one pending delivery in flight and returns it. In-flight rows are in doubt after a
    /// crash (`recoverInFlight`).
    package func claim(sink: String, alertID: String, now: Int64) throws(LedgerError) -> OutboxItem? {
        try write("claim a delivery for \(sink)") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT rule_id, payload, attempts, created_at FROM outbox
                        WHERE alert_id = ? AND sink = ? AND state = 'pending'
                        """,
                    arguments: [alertID, sink])
            else { return nil }
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'inflight', attempts = attempts + 1, updated_at = ?
                    WHERE alert_id = ? AND sink = ?
                    """,
                arguments: [now, alertID, sink])
            let payload: Data = row["payload"]
            let attempts: Int = row["attempts"]
            return OutboxItem(
                alertID: alertID, sink: sink, ruleID: row["rule_id"], payload: Array(payload), attempts: attempts + 1,
                enqueued: row["created_at"])
        }
    }

    /// When an alert of `rule` last went out to `sink` (alone or in a digest), ms since 1970.
    package func lastDelivered(sink: String, rule: String) throws(LedgerError) -> Int64? {
        try read("find the last delivery of \(rule)") { db in
            try Int64.fetchOne(
                db,
                sql: "SELECT max(updated_at) FROM outbox WHERE sink = ? AND rule_id = ? AND state = 'delivered'",
                arguments: [sink, rule])
        }
    }

    /// Holds every pending delivery of `rule` to `sink` for one digest sent at `until`; returns
    /// how many it holds. Held rows leave the queue, so they do not block other rules' alerts.
    @discardableResult
    package func group(sink: String, rule: String, until: Int64, now: Int64) throws(LedgerError) -> Int {
        try write("group deliveries of \(rule)") { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'grouped', next_attempt_at = max(next_attempt_at, ?), updated_at = ?
                    WHERE sink = ? AND rule_id = ? AND state = 'pending'
                    """,
                arguments: [until, now, sink, rule])
            return db.changesCount
        }
    }

    /// When the sink's next digest is due (ms since 1970), if any delivery is grouped.
    package func nextDigest(sink: String) throws(LedgerError) -> Int64? {
        try read("find the next digest") { db in
            try Int64.fetchOne(
                db, sql: "SELECT min(next_attempt_at) FROM outbox WHERE sink = ? AND state = 'grouped'",
                arguments: [sink])
        }
    }

    /// Marks in flight the grouped deliveries whose digest is due first and returns them with
    /// their alerts, oldest first; nil when no digest is due.
    ///
    /// A digest is fixed when first claimed: its rows get its id, and a retry or a resend after
    /// a crash claims exactly those rows again, so a receiver that deduplicates on the id sees
    /// it once. Alerts grouped later make the next digest. A row whose stored alert cannot be
    /// read is dead-lettered with the reason rather than holding up the sink.
    package func claimDigest(
        sink: String, now: Int64, limit: Int
    ) throws(LedgerError) -> (id: String, alerts: [(OutboxItem, Alert)])? {
        let claimed: (String, [(OutboxItem, String)])? = try write("claim a digest for \(sink)") { db in
            guard
                let due = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT rule_id, digest_id FROM outbox WHERE sink = ? AND state = 'grouped' AND next_attempt_at <= ?
                        ORDER BY digest_id IS NULL, next_attempt_at, rowid LIMIT 1
                        """,
                    arguments: [sink, now])
            else { return nil }
            let rule: String = due["rule_id"]
            let existing: String? = due["digest_id"]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.alert_id, outbox.payload, outbox.attempts, outbox.created_at, alerts.alert
                    FROM outbox JOIN alerts ON alerts.id = outbox.alert_id
                    WHERE outbox.sink = ? AND outbox.rule_id = ? AND outbox.state = 'grouped'
                    AND outbox.digest_id IS ? ORDER BY outbox.rowid LIMIT ?
                    """,
                arguments: [sink, rule, existing, existing == nil ? limit : Int.max])
            guard let first = rows.first, let last = rows.last else { return nil }
            let digestID =
                existing
                ?? AlertDigest.id(firstAlert: first["alert_id"], lastAlert: last["alert_id"], count: rows.count)
            let items = try rows.map { row in
                let id: String = row["alert_id"]
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'inflight', attempts = attempts + 1, digest_id = ?, updated_at = ?
                        WHERE alert_id = ? AND sink = ?
                        """,
                    arguments: [digestID, now, id, sink])
                let payload: Data = row["payload"]
                let attempts: Int = row["attempts"]
                let item = OutboxItem(
                    alertID: id, sink: sink, ruleID: rule, payload: Array(payload), attempts: attempts + 1,
                    enqueued: row["created_at"], grouped: true)
                return (item, row["alert"] as String)
            }
            return (digestID, items)
        }
        guard let (digestID, claimed) = claimed else { return nil }
        // Decoded outside the write transaction, which file commits wait for.
        let decoder = JSONDecoder()
        var result: [(OutboxItem, Alert)] = []
        var unreadable: [OutboxItem] = []
        for (item, json) in claimed {
            if let alert = try? decoder.decode(Alert.self, from: Data(json.utf8)) {
                result.append((item, alert))
            } else {
                unreadable.append(item)
            }
        }
        if !unreadable.isEmpty {
            try settle(
                unreadable, .dead(error: "the stored alert cannot be read (written by another version?)"), now: now)
        }
        return (digestID, result)
    }

    /// Records the outcome of one delivery attempt for every item it carried (one, or a digest's).
    package func settle(_ items: [OutboxItem], _ outcome: OutboxOutcome, now: Int64) throws(LedgerError) {
        guard let sink = items.first?.sink else { return }
        try write("record a delivery to \(sink)") { db in
            for item in items {
                switch outcome {
                case .delivered:
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'delivered', last_error = NULL, updated_at = ?
                            WHERE alert_id = ? AND sink = ?
                            """,
                        arguments: [now, item.alertID, item.sink])
                case .retry(let at, let error):
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
                            WHERE alert_id = ? AND sink = ?
                            """,
                        arguments: [item.grouped ? "grouped" : "pending", at, error, now, item.alertID, item.sink])
                case .dead(let error):
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'dead', last_error = ?, updated_at = ?
                            WHERE alert_id = ? AND sink = ?
                            """,
                        arguments: [error, now, item.alertID, item.sink])
                }
            }
        }
    }

    /// After a restart: deliveries left in flight may or may not have reached their sink. Those
    /// of sinks in `drop` become dead ("in doubt"); the rest are sent again (at least once).
    package func recoverInFlight(drop: Set<String>, now: Int64) throws(LedgerError) -> (resent: Int, dropped: Int) {
        try write("recover in-flight deliveries") { db in
            var dropped = 0
            for sink in drop.sorted() {
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'dead', last_error = 'in doubt after a restart; dropped (in_doubt: drop)',
                            updated_at = ? WHERE sink = ? AND state = 'inflight'
                        """,
                    arguments: [now, sink])
                dropped += db.changesCount
            }
            // A digest in flight goes back to being that digest, due now; alerts alone to the queue.
            try db.execute(
                sql: """
                    UPDATE outbox SET state = CASE WHEN digest_id IS NULL THEN 'pending' ELSE 'grouped' END,
                        next_attempt_at = ?, updated_at = ? WHERE state = 'inflight'
                    """,
                arguments: [now, now])
            return (db.changesCount, dropped)
        }
    }

    /// Outbox rows per state.
    package func outboxCounts() throws(LedgerError) -> [String: Int] {
        try read("count the outbox") { db in
            var counts = ["pending": 0, "grouped": 0, "inflight": 0, "delivered": 0, "dead": 0]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM outbox GROUP BY state") {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    /// Deletes delivered deliveries and alerts older than `before` (ms since 1970). Dead
    /// deliveries stay until an operator has seen them; alert ids of deleted alerts no longer
    /// absorb a repeat, so `before` should be far beyond any redelivery (the retention).
    package func collectGarbage(before: Int64) throws(LedgerError) -> Int {
        try write("collect garbage") { db in
            try db.execute(sql: "DELETE FROM outbox WHERE state = 'delivered' AND updated_at < ?", arguments: [before])
            let deliveries = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM alerts WHERE created_at < ?
                    AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.alert_id = alerts.id)
                    """,
                arguments: [before])
            return deliveries
        }
    }
}

/// What became of one delivery attempt, as the ledger records it.
package enum OutboxOutcome: Sendable, Hashable {
    case delivered
    /// Try again at this time (ms since 1970).
    case retry(at: Int64, error: String)
    case dead(error: String)
}
