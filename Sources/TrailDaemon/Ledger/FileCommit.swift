package import TrailRules

/// What a file is, as the ledger identifies it: its path relative to the spool, its size and a
/// hash of its content, never its inode (a file rewritten in place is a new file).
package struct FileIdentity: Sendable, Hashable {
    package var path: String
    package var size: Int
    /// Modification time, ns since 1970: with `changed`, lets an unchanged file skip hashing.
    package var modified: Int64
    /// Status-change time (ctime), ns since 1970. mtime alone is not evidence (`cp -p` sets it);
    /// the ctime cannot be set, so a file replaced or re-permissioned in place is hashed again.
    package var changed: Int64
    /// Hex SHA-256 of the file's bytes as stored.
    package var sha256: String

    package init(path: String, size: Int, modified: Int64, changed: Int64, sha256: String) {
        self.path = path
        self.size = size
        self.modified = modified
        self.changed = changed
        self.sha256 = sha256
    }

    /// Whether `file` (as opened now) has the size, mtime and ctime recorded here: then it is the
    /// same file, unchanged, and need not be hashed again. A row written before ledger v4 has
    /// no ctime (0): it matches on size and mtime, as that version did, rather than have the
    /// first start after an upgrade hash the whole spool again (`isLegacy`; the match records
    /// the ctime).
    package func isQuickMatch(size: Int, modified: Int64, changed: Int64) -> Bool {
        self.size == size && self.modified == modified && (self.changed == changed || isLegacy)
    }

    /// Recorded before ledger v4, without a ctime.
    package var isLegacy: Bool { changed == 0 }
}

/// An alert with the payload each of its sinks will be sent, rendered once at enqueue time.
package struct RoutedAlert: Sendable {
    package var alert: Alert
    /// Sink name and rendered payload.
    package var deliveries: [(sink: String, payload: [UInt8])]

    package init(alert: Alert, deliveries: [(sink: String, payload: [UInt8])]) {
        self.alert = alert
        self.deliveries = deliveries
    }
}

/// Everything one file's transaction writes.
package struct FileCommit: Sendable {
    package enum Outcome: Sendable, Hashable {
        case done
        /// Refused with a reason an operator can act on; the file is not read again unless it changes.
        case quarantined(reason: String)
    }

    package var identity: FileIdentity
    package var outcome: Outcome
    package var account: String?
    package var region: String?
    package var deliveryTime: Int?
    package var records = 0
    package var newestEventTime: Int?
    package var alerts: [RoutedAlert] = []
    /// What the file's alarm matches change in alarm state (`AlarmDecision`s); the alerts of
    /// the firings they raise are in `alerts`.
    package var alarmWrites: [AlarmWrite] = []

    package init(identity: FileIdentity, outcome: Outcome) {
        self.identity = identity
        self.outcome = outcome
    }
}

/// What a commit did.
package struct CommitResult: Sendable {
    /// Alerts that were new (not absorbed by an earlier commit of the same events).
    package var newAlerts = 0
}

/// What the ledger knows of a path.
package struct LedgerFile: Sendable, Hashable {
    /// What the ledger recorded of a file, as its `files.status` column spells it.
    package enum Status: String, Sendable, Hashable {
        case done
        /// Refused for `reason`; not read again unless it changes.
        case quarantined
    }

    package var identity: FileIdentity
    package var status: Status
    package var reason: String?
}
