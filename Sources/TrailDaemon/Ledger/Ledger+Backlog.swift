import GRDB

extension Ledger {
    /// Every sink with undelivered alerts, configured or not: pending, in flight, or grouped
    /// (held for a digest, which counts as waiting once the digest is due at `now`, ms since 1970).
    package func backlog(now: Int64) throws(LedgerError) -> [String: SinkBacklog] {
        try read("read the outbox backlog") { db in
            var result: [String: SinkBacklog] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT sink, state = 'grouped' AND next_attempt_at > ? AS held, count(*) AS n,
                        min(created_at) AS oldest
                    FROM outbox WHERE state IN ('pending', 'inflight', 'grouped') GROUP BY sink, held
                    """,
                arguments: [now])
            for row in rows {
                let sink: String = row["sink"]
                var backlog = result[sink] ?? SinkBacklog()
                if row["held"] as Bool {
                    backlog.held += row["n"] as Int
                } else {
                    backlog.waiting += row["n"] as Int
                    backlog.oldestWaiting = row["oldest"]
                }
                result[sink] = backlog
            }
            return result
        }
    }

    /// Outbox rows per sink and state (`pending`, `grouped`, `inflight`, `delivered`, `dead`).
    package func outboxCountsBySink() throws(LedgerError) -> [String: [String: Int]] {
        try read("count the outbox per sink") { db in
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sink, state, count(*) AS n FROM outbox GROUP BY sink, state") {
                counts[row["sink"], default: [:]][row["state"]] = row["n"]
            }
            return counts
        }
    }

    /// Each sink's last delivery and the latest failure its undelivered alerts wait out.
    package func sinkActivity() throws(LedgerError) -> [String: SinkActivity] {
        try read("read the sinks' activity") { db in
            var result: [String: SinkActivity] = [:]
            let delivered = try Row.fetchAll(
                db, sql: "SELECT sink, max(updated_at) AS at FROM outbox WHERE state = 'delivered' GROUP BY sink")
            for row in delivered { result[row["sink"], default: SinkActivity()].lastDelivered = row["at"] }
            // SQLite takes the bare columns from the row that has the max(updated_at).
            let failing = try Row.fetchAll(
                db,
                sql: """
                    SELECT sink, attempts, last_error, next_attempt_at, max(updated_at) AS at FROM outbox
                    WHERE state IN ('pending', 'grouped', 'inflight') AND last_error IS NOT NULL GROUP BY sink
                    """)
            for row in failing {
                result[row["sink"], default: SinkActivity()].failure = SinkActivity.Failure(
                    attempts: row["attempts"], error: row["last_error"], nextAttempt: row["next_attempt_at"])
            }
            return result
        }
    }
}
