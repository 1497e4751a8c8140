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
        /// Released in the ledger, but the file could not be moved back (it stays where it is).
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

    /// Releases the files at `paths` (spool-relative), or every quarantined file when `paths` is nil.
    package func release(_ paths: [String]?, ledger: Ledger) throws(LedgerError) -> [(path: String, result: Result)] {
        let wanted: [String]
        if let paths { wanted = paths } else { wanted = try ledger.quarantinedPaths() }
        let released = Set(try ledger.requeue(paths: wanted, now: DaemonClock.wallMilliseconds()))
        return wanted.map { path in
            guard released.contains(path) else { return (path, .notQuarantined) }
            guard case .move(let directory) = configuration.quarantine else {
                return (path, .released(movedBack: false))
            }
            let aside = directory + "/" + path
            let home = configuration.spool.directory + "/" + path
            guard FileManager.default.fileExists(atPath: aside) || Self.isLink(aside) else {
                return (path, .released(movedBack: false))
            }
            guard !FileManager.default.fileExists(atPath: home) else {
                return (path, .moveFailed("\(home) exists; the quarantined copy stays at \(aside)"))
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: (home as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard rename(aside, home) == 0 else { throw SpoolErrno(errno) }
                return (path, .released(movedBack: true))
            } catch {
                return (path, .moveFailed("cannot move \(aside) back to \(home): \(error)"))
            }
        }
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        ((path.hasPrefix("/") ? path : directory + "/" + path) as NSString).standardizingPath
    }

    private static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }
}
