import Foundation

/// `trailhound requeue`: releases quarantined files on purpose, so that they are read again.
///
/// A quarantine is final until the file changes; when the cause was outside the file (a reader
/// limit since raised, a bug since fixed, an error of the environment recorded by an older
/// version), the operator releases it. Each file's ledger row goes first, then a file moved aside
/// (`quarantine.action: move`) is moved back to its place in the spool, and the running daemon (or
/// the next one to start) reads it as a new file. Safe while the daemon runs: it only writes the
/// ledger, which SQLite shares, and renames files the daemon no longer holds.
package struct QuarantineRelease: Sendable {
    /// What became of one path.
    package enum Result: Sendable, Hashable {
        /// Released; `movedBack` when it was moved back from the quarantine directory.
        case released(movedBack: Bool)
        /// The ledger has no quarantined file at this path.
        case notQuarantined
        /// Not released: the file could not be moved back, so it stays where it is and stays
        /// quarantined in the ledger.
        case moveFailed(String)
    }

    let configuration: DaemonConfiguration

    package init(configuration: DaemonConfiguration) {
        self.configuration = configuration
    }

    /// The spool-relative path for `argument`: a path below the spool or the quarantine
    /// directory (absolute, or relative to the current directory) loses that prefix; anything
    /// else is taken as relative to the spool already.
    package func spoolPath(_ argument: String) -> String {
        var roots = [configuration.spool.directory]
        if case .move(let directory) = configuration.quarantine { roots.append(directory) }
        let current = FileManager.default.currentDirectoryPath
        for root in roots {
            let base = Self.absolute(root, in: current)
            let path = Self.absolute(argument, in: current)
            if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
        }
        return argument
    }

    /// Releases the files at `paths` (spool-relative), or every quarantined file when `paths` is
    /// nil. A file moved aside is moved back inside the ledger's transaction: when the move
    /// fails, its row stays and it is still listed as quarantined.
    package func release(_ paths: [String]?, ledger: Ledger) throws(LedgerError) -> [(path: String, result: Result)] {
        let wanted: [String]
        if let paths { wanted = paths } else { wanted = try ledger.quarantinedPaths() }
        var movedBack: Set<String> = []
        let outcome = try ledger.requeue(paths: wanted, now: DaemonClock.wallMilliseconds()) { path in
            if try moveBack(path) { movedBack.insert(path) }
        }
        let released = Set(outcome.released)
        return wanted.map { path in
            if let reason = outcome.failed[path] { return (path, .moveFailed(reason)) }
            guard released.contains(path) else { return (path, .notQuarantined) }
            return (path, .released(movedBack: movedBack.contains(path)))
        }
    }

    /// Moves a file set aside by `quarantine.action: move` back to its place in the spool; false
    /// when there is none to move (marked in place, or already gone).
    private func moveBack(_ path: String) throws -> Bool {
        guard case .move(let directory) = configuration.quarantine else { return false }
        let aside = directory + "/" + path
        let home = configuration.spool.directory + "/" + path
        guard FileManager.default.fileExists(atPath: aside) || Self.isLink(aside) else { return false }
        guard !FileManager.default.fileExists(atPath: home) else {
            throw MoveError(reason: "\(home) exists; the quarantined copy stays at \(aside)")
        }
        do {
            try FileManager.default.createDirectory(
                atPath: (home as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw MoveError(reason: "cannot create the directory for \(home): \(error)")
        }
        guard rename(aside, home) == 0 else {
            throw MoveError(reason: "cannot move \(aside) back to \(home): \(SpoolErrno(errno))")
        }
        return true
    }

    /// Why a quarantined file could not be put back; the message is the whole of it.
    struct MoveError: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        ((path.hasPrefix("/") ? path : directory + "/" + path) as NSString).standardizingPath
    }

    private static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }
}
