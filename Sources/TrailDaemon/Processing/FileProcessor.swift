import Crypto
import Foundation
package import Logging
package import TrailReader
import TrailRules

/// The spool source's step for one file: from "seen" to "committed". It opens the file safely
/// below the spool, checks its identity against the ledger, hashes it, and hands it as a
/// `WorkUnit` to the intake (`UnitProcessor`: read, evaluate, the one transaction), which every
/// source shares; then it applies what the spool does with a file afterwards: the processed action, or
/// for a file the reader refused, quarantine (moved aside when so configured).
///
/// A bad file never stops the daemon: every failure becomes an outcome. Quarantine is for what is
/// wrong with a file's content or kind (corrupt or truncated-and-settled gzip, bombs, invalid
/// JSON, links, devices, over-size); an error of the environment (descriptors, memory,
/// permissions, I/O) says nothing about the file, so it is `.blocked` and retried, never
/// quarantined.
///
/// Unchecked `Sendable`: it keeps per-thread scratch state and is used by the spool loop alone.
package final class FileProcessor: @unchecked Sendable {
    /// What became of a file.
    package enum Outcome: Sendable, Hashable {
        /// Read and committed; `alerts` were new.
        case done(alerts: Int)
        /// The ledger already has this content under this path.
        case alreadyDone
        /// Still being written (truncated, recently modified): try again once it settles.
        case retry(reason: String)
        case quarantined(reason: String)
        /// Gone before it could be read.
        case vanished
        /// Its path no longer leads to a file below the spool (a directory on it was replaced by
        /// a symbolic link): nothing was opened, recorded or moved.
        case refused(reason: String)
        /// It cannot be read for a reason of the environment, not of its content: out of
        /// descriptors (EMFILE, ENFILE) or memory, no permission (EACCES, EPERM), an I/O error.
        /// Nothing is recorded as done or quarantined; the file is retried with backoff, and shown
        /// by `/healthz` and `trailhound status` until it can be read.
        case blocked(reason: String)
    }

    package struct Options: Sendable {
        package var spool: String
        package var limits: ReaderLimits
        /// A truncated file modified more recently than this is taken to be still in writing.
        package var settle: Duration
        package var processed: DaemonConfiguration.ProcessedAction
        package var quarantine: DaemonConfiguration.QuarantineAction
        /// How late, and how far ahead of the clock, an alarm match may be and still count.
        package var alarms: DaemonConfiguration.Alarms

        package init(
            spool: String, limits: ReaderLimits, settle: Duration, processed: DaemonConfiguration.ProcessedAction,
            quarantine: DaemonConfiguration.QuarantineAction, alarms: DaemonConfiguration.Alarms = .init()
        ) {
            self.spool = spool
            self.limits = limits
            self.settle = settle
            self.processed = processed
            self.quarantine = quarantine
            self.alarms = alarms
        }
    }

    let options: Options
    let ledger: Ledger
    let events: DaemonEvents
    let logger: Logger
    let now: @Sendable () -> Int64
    /// The step after the spool's own, shared with every source.
    private let units: any UnitIntake
    /// Files that could not be read at their last attempt, with the error: each is logged when it
    /// starts failing (or fails differently) and when it recovers, not at every retry.
    private var blockedFiles: [String: String] = [:]

    package init(
        options: Options, ledger: Ledger, intake: any UnitIntake, events: DaemonEvents, logger: Logger,
        now: @escaping @Sendable () -> Int64 = DaemonClock.wallMilliseconds
    ) {
        self.options = options
        self.ledger = ledger
        self.events = events
        self.logger = logger
        self.now = now
        units = intake
        // Files that could not be read when the daemon last stopped are still being retried.
        for problem in (try? ledger.problems()) ?? [] where problem.kind == .file {
            blockedFiles[problem.path] = problem.reason
            events.readFailed(path: problem.path, reason: problem.reason)
        }
    }

    /// Processes the file at `path` (relative to the spool), and keeps the record of files that
    /// cannot be read in step with the outcome.
    package func process(_ path: String) -> Outcome {
        let outcome = attempt(path)
        if case .blocked = outcome { return outcome }
        if let reason = blockedFiles.removeValue(forKey: path) {
            var logger = self.logger
            logger[metadataKey: "th.file"] = "\(path)"
            logger.info("File can be read again.", metadata: ["th.was": "\(reason)"])
            events.readRecovered(paths: [path])
            try? ledger.clearProblem(path: path)  // the commit already did, unless nothing was committed
        }
        return outcome
    }

    /// Forgets the files that could not be read at `paths` (or below them, for a directory) when
    /// they left the spool: nothing waits on them any more. With `keeping`, forgets every one not
    /// in it instead (a full scan lists what is there).
    package func forgetUnreadable(removed paths: [String] = [], keeping present: Set<String>? = nil) {
        guard !blockedFiles.isEmpty else { return }
        let gone = blockedFiles.keys.filter { path in
            if let present { return !present.contains(path) }
            return paths.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
        guard !gone.isEmpty else { return }
        for path in gone {
            blockedFiles[path] = nil
            try? ledger.clearProblem(path: path)
            logger.info("A file that could not be read left the spool.", metadata: ["th.file": "\(path)"])
        }
        events.readRecovered(paths: gone)
    }

    private func attempt(_ path: String) -> Outcome {
        var logger = self.logger
        logger[metadataKey: "th.file"] = "\(path)"
        // Every directory on the way is opened without following links, and everything done to
        // the file below goes through this location, never through the full path again.
        let location: SpoolLocation
        switch SpoolLocation.open(root: options.spool, path: path) {
        case .success(let opened):
            location = opened
        case .failure(.gone):
            return .vanished
        case .failure(.refused(let error)):
            // Not a file of the spool any more (a directory became a link): nothing to quarantine
            // or move, and nothing behind the link is touched.
            logger.warning("File skipped.", metadata: ["th.reason": "\(error)"])
            return .refused(reason: error.description)
        case .failure(.unreadable(let error)):
            // The root or a directory on the path cannot be opened (descriptors, permissions): the
            // environment's fault, not the file's.
            return blocked(path, reason: error.description, logger: logger)
        }
        let file: InputFile
        do {
            // Refuses links, FIFOs, devices and files over the size cap from `fstat`, before any
            // byte is read or hashed.
            file = try location.openFile(limits: options.limits)
        } catch {
            guard let status = location.status() else { return .vanished }
            if error.isEnvironmental { return blocked(path, reason: error.description, logger: logger) }
            // A refusal already recorded for this very entry is not repeated at every restart.
            let seen = SpoolFile(path: path, status: status)
            if let known = try? ledger.file(at: path), known.status == .quarantined,
                known.identity.isQuickMatch(size: seen.size, modified: seen.modified, changed: seen.changed)
            {
                return .alreadyDone
            }
            return quarantine(path, at: location, identity: nil, reason: error, logger: logger)
        }
        do {
            let known = try ledger.file(at: path)
            if let known, known.identity.isQuickMatch(size: file.size, modified: file.modified, changed: file.changed) {
                if known.identity.isLegacy {
                    var identity = known.identity
                    identity.changed = file.changed
                    try ledger.touch(identity)
                }
                applyProcessedAction(location, file: file, status: known.status, logger: logger)
                return .alreadyDone
            }
            let identity: FileIdentity
            do {
                identity = try FileIdentity(
                    path: path, size: file.size, modified: file.modified, changed: file.changed,
                    sha256: Self.sha256(file))
            } catch {
                if error.isEnvironmental { return blocked(path, reason: error.description, logger: logger) }
                return quarantine(path, at: location, identity: nil, reason: error, logger: logger)
            }
            if let known, known.identity.sha256 == identity.sha256, known.identity.size == identity.size {
                try ledger.touch(identity)
                applyProcessedAction(location, file: file, status: known.status, logger: logger)
                return .alreadyDone
            }
            let unit = WorkUnit(
                identity: identity, file: file, name: CloudTrailFileName(fileName: (path as NSString).lastPathComponent)
            )
            switch units.process(unit, logger: logger) {
            case .done(let alerts):
                applyProcessedAction(location, file: file, status: .done, logger: logger)
                return .done(alerts: alerts)
            case .ledgerFailed(let reason):
                return .retry(reason: reason)
            case .unreadable(let error):
                if error.isEnvironmental { return blocked(path, reason: error.description, logger: logger) }
                let age = now() - file.modified / 1_000_000
                if error.kind == .truncated && age < options.settle.milliseconds {
                    logger.debug("File is still being written; will retry.", metadata: ["th.reason": "\(error)"])
                    return .retry(reason: error.description)
                }
                return quarantine(path, at: location, identity: identity, reason: error, logger: logger)
            }
        } catch {
            // The ledger failed: nothing was committed, so the file is read again later.
            logger.error("Cannot record the file; will retry.", metadata: ["th.error": "\(error)"])
            events.ledgerFailed(.file, error: error)
            return .retry(reason: "\(error)")
        }
    }

    /// Records that the file cannot be read now for a reason of the environment, and says so
    /// once: the spool watcher retries it with backoff (sooner when its ctime changes, as a
    /// `chmod` does), and `/healthz` and `trailhound status` show it until it can be read.
    private func blocked(_ path: String, reason: String, logger: Logger) -> Outcome {
        if blockedFiles[path] != reason {
            logger.warning(
                "File cannot be read now; will retry. Its alerts wait until it can be read.",
                metadata: ["th.reason": "\(reason)"])
        }
        blockedFiles[path] = reason
        events.readFailed(path: path, reason: reason)
        do {
            try ledger.recordProblem(path: path, reason: reason, now: now())
        } catch {
            // Shown by /healthz all the same, from the events; the file is retried either way.
            logger.debug("Cannot record the file problem.", metadata: ["th.error": "\(error)"])
        }
        return .blocked(reason: reason)
    }

    /// Records the file as quarantined (and moves it, when so configured and `location` is known).
    private func quarantine(
        _ path: String, at location: SpoolLocation?, identity: FileIdentity?, reason: ReaderError, logger: Logger
    ) -> Outcome {
        // A file that could not be opened has no hash; its size and mtime still identify it.
        let seen = location?.status().map { SpoolFile(path: path, status: $0) }
        let identity =
            identity
            ?? FileIdentity(
                path: path, size: seen?.size ?? 0, modified: seen?.modified ?? 0, changed: seen?.changed ?? 0,
                sha256: "")
        var placement = "left in place"
        if case .move(let directory) = options.quarantine, let location {
            let target = directory + "/" + path
            do {
                // The entry itself moves (a link as a link), relative to its verified directory.
                if try location.move(to: target) { placement = "moved to \(target)" }
            } catch {
                logger.warning(
                    "Cannot move the file to quarantine; marking it only.", metadata: ["th.error": "\(error)"])
            }
        }
        do {
            try units.quarantine(identity, reason: reason)
        } catch {
            logger.error("Cannot record the quarantine; will retry.", metadata: ["th.error": "\(error)"])
            return .retry(reason: "\(error)")
        }
        logger.error(
            "File quarantined.",
            metadata: [
                "th.reason": "\(reason)", "th.kind": "\(reason.kind.rawValue)", "th.quarantine": "\(placement)",
            ])
        return .quarantined(reason: reason.description)
    }

    /// Deletes or moves a committed file, as configured. Runs after the commit (and again on a
    /// later sighting, if a crash came between), so a file is never removed before it is safe.
    /// Both act on the name in its verified directory, and only while it still names the file
    /// that was read: a file replaced meanwhile is new content, left for its next sighting.
    private func applyProcessedAction(
        _ location: SpoolLocation, file: InputFile, status: LedgerFile.Status, logger: Logger
    ) {
        guard status == .done else { return }
        if case .keep = options.processed { return }
        guard location.status() != nil else { return }  // already gone: nothing to do
        guard location.stillHolds(file) else {
            logger.warning("The processed file was replaced while it was read; leaving the new one alone.")
            return
        }
        switch options.processed {
        case .keep:
            return
        case .delete:
            do {
                try location.remove()
            } catch {
                logger.warning("Cannot delete the processed file.", metadata: ["th.error": "\(error)"])
            }
        case .move(let directory):
            do {
                try location.move(to: directory + "/" + location.path)
            } catch {
                logger.warning("Cannot move the processed file.", metadata: ["th.error": "\(error)"])
            }
        }
    }

    static func sha256(_ file: InputFile) throws(ReaderError) -> String {
        var hasher = SHA256()
        try file.forEachChunk { hasher.update(bufferPointer: $0) }
        return Alert.hex(hasher.finalize())
    }
}
