import Foundation
import GRDB
package import TrailRules

extension Ledger {
    /// Renders again, with `render`, the payloads of `sink`'s deliveries not yet attempted
    /// (pending or held for a digest); returns how many changed.
    ///
    /// A payload is rendered once, at commit, so that retries are byte-identical. A reload that
    /// changes a sink (Slack to Teams, a template, another format) would otherwise send the
    /// alerts already queued for it in the old shape, which the new receiver may refuse and
    /// dead-letter. Rows whose stored alert cannot be decoded keep their payload.
    package func renderAgain(sink: String, with render: (TrailRules.Alert) -> [UInt8]) throws(LedgerError) -> Int {
        let queued = try read("read the queue of \(sink) to render it again") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.alert_id AS id, outbox.payload AS payload, alerts.alert AS alert
                    FROM outbox JOIN alerts ON alerts.id = outbox.alert_id
                    WHERE outbox.sink = ? AND outbox.state IN ('pending', 'grouped')
                    """,
                arguments: [sink]
            ).map { (id: $0["id"] as String, payload: $0["payload"] as Data, alert: $0["alert"] as String) }
        }
        guard !queued.isEmpty else { return 0 }
        // Decoded and rendered outside the write transaction, which file commits wait for.
        let decoder = JSONDecoder()
        let changed = queued.compactMap { row -> (id: String, payload: [UInt8])? in
            guard let alert = try? decoder.decode(TrailRules.Alert.self, from: Data(row.alert.utf8)) else { return nil }
            let payload = render(alert)
            return Data(payload) == row.payload ? nil : (row.id, payload)
        }
        guard !changed.isEmpty else { return 0 }
        try write("render the queue of \(sink) again") { db in
            for row in changed {
                // Only while still not attempted: a dispatcher may not claim it meanwhile (none
                // runs for this sink during a restart), but a commit never changes it either.
                try db.execute(
                    sql: """
                        UPDATE outbox SET payload = ?
                        WHERE alert_id = ? AND sink = ? AND state IN ('pending', 'grouped')
                        """,
                    arguments: [Data(row.payload), row.id, sink])
            }
        }
        return changed.count
    }
}
