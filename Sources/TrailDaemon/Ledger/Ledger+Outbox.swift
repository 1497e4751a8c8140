import Foundation
import GRDB

/// One delivery taken from the outbox.
package struct OutboxItem: Sendable, Hashable {
    package var alertID: String
    package var sink: String
    package var payload: [UInt8]
    /// Attempts so far, this one included.
    package var attempts: Int
}

extension Ledger {
    /// Marks up to `limit` due pending deliveries of `sink` in flight and returns them, oldest
    /// first. In-flight rows are in doubt after a crash (`recoverInFlight`).
    package func claimDue(sink: String, now: Int64, limit: Int) throws(LedgerError) -> [OutboxItem] {
        try write("claim deliveries for \(sink)") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT alert_id, payload, attempts FROM outbox
                    WHERE sink = ? AND state = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, rowid LIMIT ?
                    """,
                arguments: [sink, now, limit])
            return try rows.map { row in
                let id: String = row["alert_id"]
                let attempts: Int = row["attempts"]
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'inflight', attempts = attempts + 1, updated_at = ?
                        WHERE alert_id = ? AND sink = ?
                        """,
                    arguments: [now, id, sink])
                let payload: Data = row["payload"]
                return OutboxItem(alertID: id, sink: sink, payload: Array(payload), attempts: attempts + 1)
            }
        }
    }

    /// Records the outcome of a delivery.
    package func settle(_ item: OutboxItem, _ outcome: OutboxOutcome, now: Int64) throws(LedgerError) {
        try write("record a delivery to \(item.sink)") { db in
            switch outcome {
            case .delivered:
                try db.execute(
                    sql:
                        "UPDATE outbox SET state = 'delivered', last_error = NULL, updated_at = ? WHERE alert_id = ? AND sink = ?",
                    arguments: [now, item.alertID, item.sink])
            case .retry(let at, let error):
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ?
                        WHERE alert_id = ? AND sink = ?
                        """,
                    arguments: [at, error, now, item.alertID, item.sink])
            case .dead(let error):
                try db.execute(
                    sql:
                        "UPDATE outbox SET state = 'dead', last_error = ?, updated_at = ? WHERE alert_id = ? AND sink = ?",
                    arguments: [error, now, item.alertID, item.sink])
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
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = 'inflight'",
                arguments: [now, now])
            return (db.changesCount, dropped)
        }
    }

    /// When `sink`'s next pending delivery is due (ms since 1970), if it has one.
    package func nextDue(sink: String) throws(LedgerError) -> Int64? {
        try read("find the next delivery") { db in
            try Int64.fetchOne(
                db, sql: "SELECT min(next_attempt_at) FROM outbox WHERE sink = ? AND state = 'pending'",
                arguments: [sink])
        }
    }

    /// Outbox rows per state.
    package func outboxCounts() throws(LedgerError) -> [String: Int] {
        try read("count the outbox") { db in
            var counts = ["pending": 0, "inflight": 0, "delivered": 0, "dead": 0]
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
