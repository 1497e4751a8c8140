import Crypto
import Foundation
package import Logging
package import TrailReader
import TrailRules

/// Takes one spool file from "seen" to "committed": identity check against the ledger, hash,
/// read and evaluate, then the one transaction; or quarantine with the reader's reason.
///
/// A bad file never stops the daemon: every failure becomes an outcome.
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
    }

    package struct Options: Sendable {
        package var spool: String
        package var limits: ReaderLimits
        /// A truncated file modified more recently than this is taken to be still in writing.
        package var settle: Duration
        package var processed: DaemonConfiguration.ProcessedAction
        package var quarantine: DaemonConfiguration.QuarantineAction

        package init(
            spool: String, limits: ReaderLimits, settle: Duration, processed: DaemonConfiguration.ProcessedAction,
            quarantine: DaemonConfiguration.QuarantineAction
        ) {
            self.spool = spool
            self.limits = limits
            self.settle = settle
            self.processed = processed
            self.quarantine = quarantine
        }
    }

    let options: Options
    let ledger: Ledger
    let pipelines: PipelineHolder
    let doorbells: [String: Doorbell]
    let events: DaemonEvents
    let logger: Logger
    let now: @Sendable () -> Int64
    private var evaluator: FileEvaluator?
    private var generation = -1

    package init(
        options: Options, ledger: Ledger, pipelines: PipelineHolder, doorbells: [String: Doorbell],
        events: DaemonEvents, logger: Logger, now: @escaping @Sendable () -> Int64 = DaemonClock.wallMilliseconds
    ) {
        self.options = options
        self.ledger = ledger
        self.pipelines = pipelines
        self.doorbells = doorbells
        self.events = events
        self.logger = logger
        self.now = now
    }

    /// Processes the file at `path` (relative to the spool).
    package func process(_ path: String) -> Outcome {
        let started = ContinuousClock.now
        let absolute = options.spool + "/" + path
        var logger = self.logger
        logger[metadataKey: "th.file"] = "\(path)"
        let file: InputFile
        do {
            file = try InputFile.open(absolute)
        } catch {
            if lstat(absolute) == nil { return .vanished }
            return quarantine(path, identity: nil, reason: error, logger: logger)
        }
        do {
            let known = try ledger.file(at: path)
            if let known, known.identity.size == file.size, known.identity.modified == file.modified {
                applyProcessedAction(path, status: known.status, logger: logger)
                return .alreadyDone
            }
            let identity = try FileIdentity(
                path: path, size: file.size, modified: file.modified, sha256: Self.sha256(file))
            if let known, known.identity.sha256 == identity.sha256, known.identity.size == identity.size {
                try ledger.touch(identity)
                applyProcessedAction(path, status: known.status, logger: logger)
                return .alreadyDone
            }
            let pipeline = pipelines.pipeline
            if pipeline.generation != generation || evaluator == nil {
                evaluator = FileEvaluator(rules: pipeline.rules, limits: options.limits)
                generation = pipeline.generation
            }
            let evaluation: FileEvaluation
            do {
                evaluation = try evaluator!.evaluate(file, name: path)
            } catch {
                let age = now() - file.modified / 1_000_000
                if error.kind == .truncated && age < options.settle.milliseconds {
                    logger.debug("File is still being written; will retry.", metadata: ["th.reason": "\(error)"])
                    return .retry(reason: error.description)
                }
                return quarantine(path, identity: identity, reason: error, logger: logger)
            }
            for invalid in evaluation.invalidRecords.prefix(20) {
                logger.warning("Record skipped.", metadata: ["th.reason": "\(invalid)"])
            }
            let name = CloudTrailFileName(fileName: (path as NSString).lastPathComponent)
            var commit = FileCommit(identity: identity, outcome: .done)
            commit.account = name?.account
            commit.region = name?.region
            commit.deliveryTime = name.map { Int($0.deliveryTime) }
            commit.records = evaluation.records
            commit.newestEventTime = evaluation.newestEventTime
            commit.alerts = evaluation.alerts.map { RoutedAlert(alert: $0, deliveries: pipeline.route($0)) }
            commit.alarmMatches = evaluation.alarmMatches.compactMap { match in
                let rule = pipeline.rules.rules[match.rule]
                return rule.alarm.map { (rule.id, $0, match) }
            }
            let result = try ledger.commit(commit, now: now(), route: { pipeline.route($0) })
            events.ledgerWrote()
            var perRule: [String: Int] = [:]
            for alert in evaluation.alerts { perRule[alert.ruleID, default: 0] += 1 }
            for alert in result.firings { perRule[alert.ruleID, default: 0] += 1 }
            if result.newAlerts > 0 { for doorbell in doorbells.values { doorbell.ring() } }
            events.fileProcessed(
                records: evaluation.records, alerts: perRule, newestEventTime: evaluation.newestEventTime,
                duration: ContinuousClock.now - started)
            logger.debug(
                "File processed.",
                metadata: ["th.records": "\(evaluation.records)", "th.alerts": "\(result.newAlerts)"])
            applyProcessedAction(path, status: "done", logger: logger)
            return .done(alerts: result.newAlerts)
        } catch {
            // The ledger failed: nothing was committed, so the file is read again later.
            logger.error("Cannot record the file; will retry.", metadata: ["th.error": "\(error)"])
            events.ledgerFailed(.file, error: error)
            return .retry(reason: "\(error)")
        }
    }

    /// Records the file as quarantined (and moves it, when so configured).
    private func quarantine(_ path: String, identity: FileIdentity?, reason: ReaderError, logger: Logger) -> Outcome {
        let absolute = options.spool + "/" + path
        // A file that could not be opened has no hash; its size and mtime still identify it.
        let seen = lstat(absolute).map { SpoolFile(path: path, status: $0) }
        let identity =
            identity ?? FileIdentity(path: path, size: seen?.size ?? 0, modified: seen?.modified ?? 0, sha256: "")
        var placement = "left in place"
        if case .move(let directory) = options.quarantine {
            let target = directory + "/" + path
            do {
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard rename(absolute, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                placement = "moved to \(target)"
            } catch {
                logger.warning(
                    "Cannot move the file to quarantine; marking it only.", metadata: ["th.error": "\(error)"])
            }
        }
        do {
            _ = try ledger.commit(
                FileCommit(identity: identity, outcome: .quarantined(reason: reason.description)), now: now(),
                route: { _ in [] })
        } catch {
            logger.error("Cannot record the quarantine; will retry.", metadata: ["th.error": "\(error)"])
            events.ledgerFailed(.file, error: error)
            return .retry(reason: "\(error)")
        }
        events.ledgerWrote()
        logger.error("File quarantined.", metadata: ["th.reason": "\(reason)", "th.quarantine": "\(placement)"])
        events.fileQuarantined(reason: reason.kind.rawValue)
        return .quarantined(reason: reason.description)
    }

    /// Deletes or moves a committed file, as configured. Runs after the commit (and again on a
    /// later sighting, if a crash came between), so a file is never removed before it is safe.
    private func applyProcessedAction(_ path: String, status: String, logger: Logger) {
        guard status == "done" else { return }
        let absolute = options.spool + "/" + path
        switch options.processed {
        case .keep:
            return
        case .delete:
            if unlink(absolute) != 0 && errno != ENOENT {
                logger.warning(
                    "Cannot delete the processed file.", metadata: ["th.error": "\(String(cString: strerror(errno)))"])
            }
        case .move(let directory):
            let target = directory + "/" + path
            try? FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if rename(absolute, target) != 0 && errno != ENOENT {
                logger.warning(
                    "Cannot move the processed file.", metadata: ["th.error": "\(String(cString: strerror(errno)))"])
            }
        }
    }

    private func lstat(_ path: String) -> stat? {
        var info = stat()
        return Foundation.lstat(path, &info) == 0 ? info : nil
    }

    static func sha256(_ file: InputFile) throws(ReaderError) -> String {
        var hasher = SHA256()
        try file.forEachChunk { hasher.update(bufferPointer: $0) }
        return Alert.hex(hasher.finalize())
    }
}
