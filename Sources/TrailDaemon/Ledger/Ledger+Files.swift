import Foundation
import GRDB
package import TrailRules

extension Ledger {
    /// What the ledger knows of the file at `path` (relative to the spool).
    package func file(at path: String) throws(LedgerError) -> LedgerFile? {
        try read("look up a file") { db in
            try Row.fetchOne(
                db, sql: "SELECT path, size, modified, changed, sha256, status, reason FROM files WHERE path = ?",
                arguments: [path]
            ).map { row in
                LedgerFile(
                    identity: FileIdentity(
                        path: row["path"], size: row["size"], modified: row["modified"], changed: row["changed"],
                        sha256: row["sha256"]),
                    status: LedgerFile.Status(rawValue: row["status"]) ?? .done, reason: row["reason"])
            }
        }
    }

    /// Records that a file known by content has a new mtime or ctime (touched, copied over with
    /// the same bytes, or re-permissioned: not changed), and that nothing stands in its way now.
    package func touch(_ identity: FileIdentity) throws(LedgerError) {
        try write("update a file") { db in
            try db.execute(
                sql: "UPDATE files SET modified = ?, changed = ? WHERE path = ? AND sha256 = ?",
                arguments: [identity.modified, identity.changed, identity.path, identity.sha256])
            try db.execute(sql: "DELETE FROM file_problems WHERE path = ?", arguments: [identity.path])
        }
    }

    /// The file's one transaction: its row, its alerts (alarm firings included) and their outbox
    /// rows, the alarm state its matches changed, and its delivery stream.
    package func commit(_ commit: FileCommit, now: Int64) throws(LedgerError) -> CommitResult {
        try write("commit \(commit.identity.path)") { db in
            var result = CommitResult()
            for routed in commit.alerts {
                if try Ledger.insert(routed, file: commit.identity.path, now: now, db) { result.newAlerts += 1 }
            }
            try write(commit.alarmWrites, file: commit.identity.path, db)
            var status = LedgerFile.Status.done
            var reason: String?
            if case .quarantined(let why) = commit.outcome {
                status = .quarantined
                reason = why
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO files
                        (path, size, modified, changed, sha256, status, reason, account, region, delivery_time,
                         records, alerts, newest_event_time, processed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    commit.identity.path, commit.identity.size, commit.identity.modified, commit.identity.changed,
                    commit.identity.sha256, status.rawValue, reason, commit.account, commit.region, commit.deliveryTime,
                    commit.records, commit.alerts.count, commit.newestEventTime, now,
                ])
            // Whatever kept the file from being read is over: it was read, or judged by its content.
            try db.execute(sql: "DELETE FROM file_problems WHERE path = ?", arguments: [commit.identity.path])
            if let account = commit.account, let region = commit.region, let delivery = commit.deliveryTime {
                try db.execute(
                    sql: """
                        INSERT INTO streams (account, region, last_delivery, last_file) VALUES (?, ?, ?, ?)
                        ON CONFLICT (account, region) DO UPDATE SET
                            last_delivery = max(last_delivery, excluded.last_delivery),
                            last_file = CASE WHEN excluded.last_delivery >= last_delivery
                                THEN excluded.last_file ELSE last_file END
                        """,
                    arguments: [account, region, delivery, commit.identity.path])
            }
            return result
        }
    }

    /// Inserts an alert and its outbox rows unless the alert id is already there; true when new.
    static func insert(_ routed: RoutedAlert, file: String?, now: Int64, _ db: Database) throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(routed.alert), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO alerts (id, rule_id, severity, file, alert, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [routed.alert.id, routed.alert.ruleID, routed.alert.severity.rawValue, file, json, now])
        guard db.changesCount > 0 else { return false }
        for delivery in routed.deliveries {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO outbox
                        (alert_id, sink, rule_id, state, payload, next_attempt_at, created_at, updated_at)
                    VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)
                    """,
                arguments: [routed.alert.id, delivery.sink, routed.alert.ruleID, Data(delivery.payload), now, now, now])
        }
        return true
    }

    /// Paths of done or quarantined files processed before `before` (ms since 1970): candidates
    /// for forgetting once they are gone from the spool.
    package func files(processedBefore before: Int64) throws(LedgerError) -> [String] {
        try read("list old files") { db in
            try String.fetchAll(db, sql: "SELECT path FROM files WHERE processed_at < ?", arguments: [before])
        }
    }

    /// Forgets files (gone from the spool): a file with the same path later is new.
    package func forgetFiles(_ paths: [String]) throws(LedgerError) {
        guard !paths.isEmpty else { return }
        try write("forget files") { db in
            for path in paths {
                try db.execute(sql: "DELETE FROM files WHERE path = ?", arguments: [path])
                try db.execute(sql: "DELETE FROM file_problems WHERE path = ?", arguments: [path])
            }
        }
    }

    // MARK: Plumbing

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw LedgerError(path: path, operation: operation, cause: error)
        }
    }

    /// Reads in a transaction of the writer connection (`alarmState` says why).
    func readThroughWriter<T>(_ operation: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw LedgerError(path: path, operation: operation, cause: error)
        }
    }

    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw LedgerError(path: path, operation: operation, cause: error)
        }
    }
}
