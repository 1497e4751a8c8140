import GRDB

/// Something of the environment that keeps a spool file or directory from being read: out of
/// descriptors or memory, no permission, an I/O error. Unlike a quarantine, it says nothing about
/// the file's content; the file is retried with backoff until it can be read, and shown (by
/// `/healthz` and `trailhound status`) while it cannot.
package struct FileProblem: Sendable, Hashable {
    /// What cannot be read.
    package enum Kind: String, Sendable, Hashable {
        /// A spool file that cannot be opened or read.
        case file
        /// A spool directory that cannot be listed (its files are not seen at all).
        case directory
    }

    /// Relative to the spool (a directory's own path for a directory; empty for the root).
    package var path: String
    package var kind: Kind
    /// The error, one line.
    package var reason: String
    /// First and latest failure, ms since 1970.
    package var firstAt: Int64
    package var lastAt: Int64
    /// Failed attempts so far.
    package var attempts: Int

    package init(path: String, kind: Kind, reason: String, firstAt: Int64, lastAt: Int64, attempts: Int) {
        self.path = path
        self.kind = kind
        self.reason = reason
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.attempts = attempts
    }
}

extension Ledger {
    /// Records one more failed attempt at reading the file at `path`, and returns the problem as
    /// it stands (its first failure, its attempts).
    @discardableResult
    package func recordProblem(path: String, reason: String, now: Int64) throws(LedgerError) -> FileProblem {
        try write("record a file that cannot be read") { db in
            try db.execute(
                sql: """
                    INSERT INTO file_problems (path, kind, reason, first_at, last_at, attempts)
                    VALUES (?, 'file', ?, ?, ?, 1)
                    ON CONFLICT (path) DO UPDATE SET
                        reason = excluded.reason, last_at = excluded.last_at, attempts = attempts + 1
                    """, arguments: [path, reason, now, now])
            return try Ledger.problem(at: path, db)!
        }
    }

    /// Forgets the problem of the file at `path` (it went away, or can be read again).
    package func clearProblem(path: String) throws(LedgerError) {
        try write("clear a file problem") { db in
            try db.execute(sql: "DELETE FROM file_problems WHERE kind = 'file' AND path = ?", arguments: [path])
        }
    }

    /// Replaces the directories a scan could not list with `problems` (path to reason): a
    /// directory listed again is no longer a problem.
    package func replaceDirectoryProblems(_ problems: [String: String], now: Int64) throws(LedgerError) {
        try write("record spool directories that cannot be listed") { db in
            let known = try String.fetchSet(db, sql: "SELECT path FROM file_problems WHERE kind = 'directory'")
            for path in known.subtracting(problems.keys) {
                try db.execute(
                    sql: "DELETE FROM file_problems WHERE kind = 'directory' AND path = ?", arguments: [path])
            }
            for (path, reason) in problems {
                try db.execute(
                    sql: """
                        INSERT INTO file_problems (path, kind, reason, first_at, last_at, attempts)
                        VALUES (?, 'directory', ?, ?, ?, 1)
                        ON CONFLICT (path) DO UPDATE SET
                            kind = 'directory', reason = excluded.reason, last_at = excluded.last_at,
                            attempts = attempts + 1
                        """, arguments: [path, reason, now, now])
            }
        }
    }

    /// Every file and directory that cannot be read now, oldest first.
    package func problems() throws(LedgerError) -> [FileProblem] {
        try read("list files that cannot be read") { db in
            guard try db.tableExists("file_problems") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM file_problems ORDER BY first_at, path").map(
                Ledger.problem(from:))
        }
    }

    /// Releases quarantined files at `paths` for another reading: their ledger rows go, and the
    /// running daemon (or the next one) is asked to look at them again. `release` runs for each
    /// quarantined path inside the transaction, once its row is gone (to move the file back into
    /// the spool); when it throws, that path's row stays, so a file that could not be put back is
    /// still listed as quarantined. Returns the paths released, and the failures by path; paths
    /// that were not quarantined are in neither.
    package func requeue(
        paths: [String], now: Int64, release: (String) throws -> Void = { _ in }
    ) throws(LedgerError) -> (released: [String], failed: [String: String]) {
        try write("release quarantined files") { db in
            var released: [String] = []
            var failed: [String: String] = [:]
            for path in paths {
                try db.inSavepoint {
                    try db.execute(
                        sql: "DELETE FROM files WHERE path = ? AND status = 'quarantined'", arguments: [path])
                    guard db.changesCount > 0 else { return .commit }
                    do {
                        try release(path)
                    } catch {
                        failed[path] = "\(error)"
                        return .rollback
                    }
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO requeue (path, requested_at) VALUES (?, ?)",
                        arguments: [path, now])
                    released.append(path)
                    return .commit
                }
            }
            return (released, failed)
        }
    }

    /// The paths of every quarantined file.
    package func quarantinedPaths() throws(LedgerError) -> [String] {
        try read("list quarantined files") { db in
            try String.fetchAll(db, sql: "SELECT path FROM files WHERE status = 'quarantined' ORDER BY path")
        }
    }

    /// Takes the paths `trailhound requeue` released since the last call (the spool loop looks at
    /// each again); cheap when there are none.
    package func takeRequeued() throws(LedgerError) -> [String] {
        let waiting = try read("look for released files") { db in
            try String.fetchAll(db, sql: "SELECT path FROM requeue ORDER BY requested_at, path")
        }
        guard !waiting.isEmpty else { return [] }
        try write("take released files") { db in
            for path in waiting { try db.execute(sql: "DELETE FROM requeue WHERE path = ?", arguments: [path]) }
        }
        return waiting
    }

    private static func problem(at path: String, _ db: Database) throws -> FileProblem? {
        try Row.fetchOne(db, sql: "SELECT * FROM file_problems WHERE path = ?", arguments: [path]).map(problem(from:))
    }

    private static func problem(from row: Row) -> FileProblem {
        FileProblem(
            path: row["path"], kind: FileProblem.Kind(rawValue: row["kind"]) ?? .file, reason: row["reason"],
            firstAt: row["first_at"], lastAt: row["last_at"], attempts: row["attempts"])
    }
}
