import Foundation
import GRDB
import NIOConcurrencyHelpers
import TrailEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's durable state in one SQLite database (WAL): which files are done or quarantined,
/// the outbox of alerts per sink, what alarm windows count per minute and the episodes of ALARM
/// already alerted (`Ledger+Alarms.swift`), and the delivery streams the gap alert watches.
///
/// The durability argument (architecture.md): a file is a unit, and `commit` records it done and
/// enqueues its alerts in one transaction, with `INSERT OR IGNORE` on the alert id. A crash before
/// the commit re-reads the file and the ids absorb the repeat; after it, nothing is redone.
package final class Ledger: Sendable {
    package let path: String
    let database: DatabasePool
    /// Which minutes `alarm_minutes` holds per rule and group (`AlarmRowIndex`); built when the
    /// ledger opens to write, empty when it opens to read.
    let alarmRows = NIOLockedValueBox(AlarmRowIndex())

    /// Opens (creating and migrating) the ledger at `path`; `synchronous: .full` also survives
    /// power loss.
    package init(path: String, synchronous: DaemonConfiguration.Synchronous = .normal) throws(LedgerError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
            database = try DatabasePool(path: path, configuration: configuration)
            // GRDB puts a pool's writer in WAL mode with `synchronous = NORMAL` after
            // `prepareDatabase` has run, so the level is set here, on the one writer connection,
            // and read back: `full` must really fsync the WAL at every commit.
            let pragma = synchronous.rawValue.uppercased()
            let applied = try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(pragma)")
                // After a checkpoint the WAL is cut back to 4 MiB: otherwise it keeps the size of
                // its largest burst (a backlog's commits) on disk for as long as the daemon runs.
                try db.execute(sql: "PRAGMA journal_size_limit = \(4 << 20)")
                return try Int.fetchOne(db, sql: "PRAGMA synchronous")
            }
            guard applied == synchronous.sqliteLevel else {
                throw LedgerError(
                    path: path, operation: "open",
                    reason: "SQLite reports synchronous = \(applied.map(String.init) ?? "?") instead of \(pragma)")
            }
            try Ledger.refuseNewerSchema(database, path: path)
            try Ledger.migrator.migrate(database)
            let index = try database.read { try AlarmRowIndex($0) }
            alarmRows.withLockedValue { $0 = index }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.cannotOpen(path: path, cause: error)
        }
    }

    /// The `synchronous` level the writer connection runs at (1 NORMAL, 2 FULL), as SQLite reports it.
    package var synchronousLevel: Int {
        get throws { try database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 } }
    }

    /// Opens an existing ledger to read (`trailhound status`), without creating or migrating it.
    package init(readingAt path: String) throws(LedgerError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(
                path: path, operation: "open", reason: "no ledger here (has `trailhound run` run with this state path?)"
            )
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
            try Ledger.refuseNewerSchema(database, path: path)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(path: path, operation: "open", cause: error)
        }
    }

    /// Refuses a ledger that a newer trailhound has migrated: its schema holds tables and columns
    /// this version does not know, and writing to it could corrupt what the newer one relies on.
    private static func refuseNewerSchema(_ database: DatabasePool, path: String) throws {
        let migrator = Ledger.migrator
        let unknown = try database.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
        }
        guard !unknown.isEmpty else { return }
        throw LedgerError(
            path: path, operation: "open",
            reason:
                "it was written by a newer trailhound (schema migration \(unknown.joined(separator: ", ")), unknown to this version, which knows \(migrator.migrations.joined(separator: ", "))). Run the newer trailhound, or move the ledger aside to start afresh (its files would then be read again)"
        )
    }

    /// The schema, one explicit migration per version (house style 11).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE files (
                        path TEXT PRIMARY KEY,          -- relative to the spool
                        size INTEGER NOT NULL,
                        modified INTEGER NOT NULL,      -- mtime, ns since 1970
                        sha256 TEXT NOT NULL,
                        status TEXT NOT NULL,           -- done | quarantined
                        reason TEXT,                    -- why it was quarantined
                        account TEXT,
                        region TEXT,
                        delivery_time INTEGER,          -- from the CloudTrail name, s since 1970
                        records INTEGER NOT NULL DEFAULT 0,
                        alerts INTEGER NOT NULL DEFAULT 0,
                        newest_event_time INTEGER,
                        processed_at INTEGER NOT NULL   -- ms since 1970
                    );
                    CREATE INDEX files_status ON files(status, processed_at);
                    CREATE TABLE alerts (
                        id TEXT PRIMARY KEY,
                        rule_id TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        file TEXT,
                        alert TEXT NOT NULL,            -- the Alert as JSON
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE outbox (
                        alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
                        sink TEXT NOT NULL,
                        state TEXT NOT NULL,            -- pending | grouped (v2) | inflight | delivered | dead
                        payload BLOB NOT NULL,          -- rendered once, so retries are byte-identical
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (alert_id, sink)
                    );
                    CREATE INDEX outbox_due ON outbox(sink, state, next_attempt_at);
                    CREATE TABLE alarm_matches (
                        rule_id TEXT NOT NULL,
                        grp TEXT NOT NULL,
                        match_id TEXT NOT NULL,         -- eventID, or the alert id of a record without one
                        event_time INTEGER NOT NULL,
                        alert TEXT NOT NULL,
                        PRIMARY KEY (rule_id, match_id)
                    );
                    CREATE INDEX alarm_matches_group ON alarm_matches(rule_id, grp, event_time);
                    CREATE TABLE streams (
                        account TEXT NOT NULL,
                        region TEXT NOT NULL,
                        last_delivery INTEGER NOT NULL, -- newest delivery time seen, s since 1970
                        last_file TEXT NOT NULL,
                        gap_since INTEGER,              -- set while a gap alert is open
                        PRIMARY KEY (account, region)
                    );
                    """)
        }
        // v2: noise control and the retry age. Each delivery knows its rule (digests group by it),
        // when it was enqueued (the maximum retry age counts from then) and, once a digest has
        // claimed it, that digest (so a retry or a resend after a crash is the same digest, with
        // the same idempotency key); the queue index keeps rowid (enqueue) order per sink.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN rule_id TEXT NOT NULL DEFAULT '';
                    ALTER TABLE outbox ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE outbox ADD COLUMN digest_id TEXT;  -- set when a digest first claims the row
                    UPDATE outbox SET
                        rule_id = coalesce((SELECT rule_id FROM alerts WHERE alerts.id = outbox.alert_id), ''),
                        created_at = coalesce((SELECT created_at FROM alerts WHERE alerts.id = outbox.alert_id), updated_at);
                    CREATE INDEX outbox_queue ON outbox(sink, state);
                    CREATE INDEX outbox_rule ON outbox(sink, rule_id, state, updated_at);
                    """)
        }
        // v3: alarm episodes (issue 17, finding 4). One alert per episode of ALARM per rule and
        // group, however its matches are split across files and in whatever order they come:
        // a later match can start the episode earlier, which changes the firing's window and id,
        // so the episode, not the id, is what says "already alerted". Alarm alerts enqueued
        // before v3 become one-minute episodes (their end is not recorded), which is enough for
        // a burst they alerted not to alert again when one more of its matches arrives.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alarm_episodes (
                        rule_id TEXT NOT NULL,
                        grp TEXT NOT NULL,
                        start_time INTEGER NOT NULL,    -- first evaluation in ALARM, s since 1970
                        end_time INTEGER NOT NULL,      -- first evaluation out of it (or past the last seen)
                        alert_id TEXT NOT NULL,         -- the one alert the episode raised
                        PRIMARY KEY (rule_id, grp, start_time)
                    );
                    CREATE INDEX alarm_episodes_end ON alarm_episodes(end_time);
                    CREATE INDEX alarm_matches_time ON alarm_matches(event_time);
                    -- Matches an older version stored with times beyond tomorrow (a forged 9999)
                    -- would never age out: pruning only drops times behind a cut-off.
                    DELETE FROM alarm_matches WHERE event_time > CAST(strftime('%s', 'now') AS INTEGER) + 86400;
                    INSERT OR IGNORE INTO alarm_episodes (rule_id, grp, start_time, end_time, alert_id)
                        SELECT rule_id, grp, start_time, start_time + 60, id FROM (
                            SELECT rule_id, id, json_extract(alert, '$.alarm.group') AS grp,
                                CAST(strftime('%s', json_extract(alert, '$.alarm.windowEnd')) AS INTEGER) AS start_time
                            FROM alerts WHERE json_valid(alert)
                        ) WHERE grp IS NOT NULL AND start_time IS NOT NULL;
                    """)
        }
        // v4: a file's ctime, so a copy with the same size and mtime (`cp -p`) or a `chmod` is
        // looked at again; files that cannot be read for a reason of the environment (descriptors,
        // permissions, I/O), retried and shown until they can; and files an operator released
        // from quarantine with `trailhound requeue`, for the running daemon to take up.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    ALTER TABLE files ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;  -- ctime, ns since 1970
                    CREATE TABLE file_problems (
                        path TEXT PRIMARY KEY,          -- relative to the spool; a directory's path for a directory
                        kind TEXT NOT NULL,             -- file | directory
                        reason TEXT NOT NULL,
                        first_at INTEGER NOT NULL,      -- ms since 1970
                        last_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL
                    );
                    CREATE TABLE requeue (
                        path TEXT PRIMARY KEY,          -- relative to the spool
                        requested_at INTEGER NOT NULL
                    );
                    """)
        }
        // v5: alarm state per minute, not per match (issue 19). A match kept its whole alert
        // (about 4 KB) and each commit read its groups' matches again; a minute keeps its count,
        // the fingerprints of the events counted and where its latest match is (a file, named
        // once in alarm_files, and a record index), which is all windows and firings need. Rules
        // are named once (alarm_rules) and groups by their fingerprint: a rule grouped by
        // principal has a row per principal and minute, and most principals are seen once. The
        // matches stored by v1-v4 become their minutes.
        migrator.registerMigration("v5") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alarm_rules (
                        id INTEGER PRIMARY KEY,
                        rule_id TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE alarm_files (
                        id INTEGER PRIMARY KEY,
                        path TEXT NOT NULL UNIQUE       -- relative to the spool
                    );
                    CREATE TABLE alarm_minutes (
                        rule INTEGER NOT NULL,          -- alarm_rules.id
                        grp BLOB NOT NULL,              -- the group's 16-byte fingerprint (the name is in the alerts)
                        minute INTEGER NOT NULL,        -- of event time, minutes since 1970
                        event_ids BLOB NOT NULL,        -- 16-byte fingerprints of the eventIDs counted, sorted
                        anonymous INTEGER NOT NULL,     -- matches counted without an eventID
                        trigger_time INTEGER NOT NULL,  -- the latest match: eventTime, s since 1970
                        trigger_order INTEGER NOT NULL, -- arrival order among matches of the same second
                        trigger_file INTEGER NOT NULL,  -- alarm_files.id
                        trigger_record INTEGER NOT NULL,
                        trigger_event BLOB,             -- its eventID's fingerprint; NULL: the minute's only one, or none
                        PRIMARY KEY (rule, grp, minute)
                    ) WITHOUT ROWID;
                    """)
            try migrateAlarmMatches(db)
            try db.execute(sql: "DROP TABLE alarm_matches")
        }
        // v6: alarm minutes in time order (issue 19). Keyed by group first, a file's thousand
        // groups were a thousand places across the table, and each commit rewrote most of its
        // pages; keyed by minute first, a file's minutes are neighbours. The groups' minutes are
        // found through the ledger's `AlarmRowIndex` instead.
        migrator.registerMigration("v6") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alarm_minutes_by_time (
                        rule INTEGER NOT NULL,
                        grp BLOB NOT NULL,
                        minute INTEGER NOT NULL,
                        event_ids BLOB NOT NULL,
                        anonymous INTEGER NOT NULL,
                        trigger_time INTEGER NOT NULL,
                        trigger_order INTEGER NOT NULL,
                        trigger_file INTEGER NOT NULL,
                        trigger_record INTEGER NOT NULL,
                        trigger_event BLOB,
                        PRIMARY KEY (rule, minute, grp)
                    ) WITHOUT ROWID;
                    INSERT INTO alarm_minutes_by_time SELECT rule, grp, minute, event_ids, anonymous, trigger_time,
                        trigger_order, trigger_file, trigger_record, trigger_event FROM alarm_minutes;
                    DROP TABLE alarm_minutes;
                    ALTER TABLE alarm_minutes_by_time RENAME TO alarm_minutes;
                    """)
        }
        return migrator
    }

    /// Turns v4's stored matches into minutes: counts, fingerprints, and each minute's latest
    /// match (by event time, then insertion) as its trigger, in the file its alert named.
    private static func migrateAlarmMatches(_ db: Database) throws {
        var tallies: [String: AlarmTally] = [:]
        var files: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT rowid, rule_id, grp, match_id, event_time,
                    CASE WHEN json_valid(alert) THEN json_extract(alert, '$.file') END AS file,
                    CASE WHEN json_valid(alert) THEN json_extract(alert, '$.recordIndex') END AS record
                FROM alarm_matches ORDER BY rowid
                """)
        while let row = try rows.next() {
            let path: String = row["file"] ?? ""
            let unit: Int
            if let known = files[path] {
                unit = known
            } else {
                try db.execute(sql: "INSERT OR IGNORE INTO alarm_files (path) VALUES (?)", arguments: [path])
                unit = try Int.fetchOne(db, sql: "SELECT id FROM alarm_files WHERE path = ?", arguments: [path]) ?? 0
                files[path] = unit
            }
            let id: String = row["match_id"]
            tallies[row["rule_id"], default: AlarmTally()].add(
                group: row["grp"],
                AlarmTrigger(
                    time: row["event_time"], order: UInt64(row["rowid"] as Int64), unit: unit,
                    record: row["record"] ?? 0, eventID: EventFingerprint(id.utf8)))
        }
        for (rule, tally) in tallies {
            try write([AlarmWrite(ruleID: rule, minutes: tally.minutes)], fileID: 0, rows: nil, db)
        }
    }
}

/// A ledger operation that failed: which database, doing what, and why.
package struct LedgerError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var operation: String
    package var reason: String

    package init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    package init(path: String, operation: String, cause: any Error) {
        self.init(path: path, operation: operation, reason: "\(cause)")
    }

    package var description: String { "ledger \(path): cannot \(operation): \(reason)" }

    /// The error for a ledger SQLite could not open, with the likely cause and its fix: a
    /// read-only or foreign-owned state directory otherwise shows only as "SQLite error 14".
    static func cannotOpen(path: String, cause: any Error) -> LedgerError {
        let directory =
            (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent
        var reason = "\(cause)"
        var info = statvfs()
        if statvfs(directory, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0 {
            reason =
                "the state directory \(directory) is on a read-only file system. Give the service a writable state directory (the unit's StateDirectory=trailhound is /var/lib/trailhound), or set state.path to a writable place (SQLite said: \(cause))"
        } else if access(directory, W_OK) != 0
            || (FileManager.default.fileExists(atPath: path) && access(path, W_OK) != 0)
        {
            reason =
                "the state directory \(directory) or the ledger in it is not writable by uid \(getuid()) (\(String(cString: strerror(errno)))). Make both writable by the service's user (chown/chmod), or set state.path to a writable place (SQLite said: \(cause))"
        }
        return LedgerError(path: path, operation: "open", reason: reason)
    }
}
