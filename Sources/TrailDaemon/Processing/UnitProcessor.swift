import Foundation
package import Logging
import TrailEngine
package import TrailReader
import TrailRules

/// The step every source shares: a unit, opened, to its one commit. It evaluates the unit with
/// the current rule set (`FileEvaluator`), decides its alarms (`AlarmPlanner`), routes its alerts
/// and commits them with the unit's done mark; or records a unit the reader refused as
/// quarantined. Where the unit came from, and what becomes of it afterwards (the spool's
/// processed and quarantine actions, an SQS message deleted), is the source's.
///
/// Unchecked `Sendable`: it keeps per-thread scratch state (the evaluator) and is used by one
/// source loop at a time.
package final class UnitProcessor: UnitIntake, @unchecked Sendable {
    /// What became of a unit.
    package enum Outcome {
        /// Committed; `alerts` were new.
        case done(alerts: Int)
        /// The reader refused it (the source decides: retry a file still being written,
        /// quarantine the rest, or wait when the environment is to blame).
        case unreadable(ReaderError)
        /// The ledger failed: nothing was committed, and the unit should be read again later.
        case ledgerFailed(String)
    }

    let limits: ReaderLimits
    let alarms: DaemonConfiguration.Alarms
    let ledger: Ledger
    let pipelines: PipelineHolder
    let doorbells: Doorbells
    let events: DaemonEvents
    let archive: any UnitArchive
    let now: @Sendable () -> Int64
    private var evaluator: FileEvaluator?
    private var generation = -1

    package init(
        limits: ReaderLimits, alarms: DaemonConfiguration.Alarms, ledger: Ledger, pipelines: PipelineHolder,
        doorbells: Doorbells, events: DaemonEvents, archive: any UnitArchive,
        now: @escaping @Sendable () -> Int64 = DaemonClock.wallMilliseconds
    ) {
        self.limits = limits
        self.alarms = alarms
        self.ledger = ledger
        self.pipelines = pipelines
        self.doorbells = doorbells
        self.events = events
        self.archive = archive
        self.now = now
    }

    /// Reads, evaluates and commits `unit`; `logger` names it.
    package func process(_ unit: WorkUnit, logger: Logger) -> Outcome {
        let started = ContinuousClock.now
        let path = unit.identity.path
        let pipeline = pipelines.pipeline
        if pipeline.generation != generation || evaluator == nil {
            evaluator = FileEvaluator(
                rules: pipeline.rules, limits: limits, admission: AlarmAdmission(alarms), keepsTriggerRecords: true)
            generation = pipeline.generation
        }
        let evaluation: FileEvaluation
        do {
            evaluation = try evaluator!.evaluate(unit.file, name: path, now: Int(now() / 1000))
        } catch {
            return .unreadable(error)
        }
        for invalid in evaluation.invalidRecords.prefix(20) {
            logger.warning("Record skipped.", metadata: ["th.reason": "\(invalid)"])
        }
        var commit = FileCommit(identity: unit.identity, outcome: .done)
        commit.account = unit.name?.account
        commit.region = unit.name?.region
        commit.deliveryTime = unit.name.map { Int($0.deliveryTime) }
        commit.records = evaluation.records
        commit.newestEventTime = evaluation.newestEventTime
        reportSkips(evaluation.alarmSkips, logger: logger)
        do {
            // The alarm decisions are taken before the transaction, from the state the ledger
            // holds (this loop is its only writer of alarm state but for the sweep, which forgets
            // only what no unit can need); the transaction records them with the unit.
            let alarms = try AlarmPlanner(
                ledger: ledger, archive: archive, limits: limits, admission: AlarmAdmission(self.alarms)
            ).plan(evaluation, rules: pipeline.rules, path: path, now: now())
            if alarms.withoutRecord > 0 {
                logger.warning(
                    "Alarm alert raised without the record that tipped it: the file it came from is gone or changed.",
                    metadata: ["th.alerts": "\(alarms.withoutRecord)"])
            }
            commit.alarmWrites = alarms.writes
            let alerts = evaluation.alerts + alarms.firings
            // Routed by the pipeline current at the commit, which may be newer than the one the
            // unit was evaluated with: no alert goes to a sink a reload removed meanwhile, and
            // one it added gets them.
            let result = try pipelines.committing { current in
                var commit = commit
                commit.alerts = alerts.map { RoutedAlert(alert: $0, deliveries: current.route($0)) }
                return try ledger.commit(commit, now: now())
            }
            events.ledgerWrote()
            var perRule: [String: Int] = [:]
            for alert in alerts { perRule[alert.ruleID, default: 0] += 1 }
            if result.newAlerts > 0 { doorbells.ringAll() }
            events.fileProcessed(
                records: evaluation.records, skipped: evaluation.invalidRecords.count, alerts: perRule,
                newestEventTime: evaluation.newestEventTime, duration: ContinuousClock.now - started)
            logger.debug(
                "File processed.",
                metadata: ["th.records": "\(evaluation.records)", "th.alerts": "\(result.newAlerts)"])
            return .done(alerts: result.newAlerts)
        } catch {
            // The ledger failed: nothing was committed, so the unit is read again later.
            logger.error("Cannot record the file; will retry.", metadata: ["th.error": "\(error)"])
            events.ledgerFailed(.file, error: error)
            return .ledgerFailed("\(error)")
        }
    }

    /// Records `identity` as quarantined for `reason`; the source has moved it aside (or not).
    /// Throws when the ledger failed (nothing recorded: the unit is tried again later).
    package func quarantine(_ identity: FileIdentity, reason: ReaderError) throws(LedgerError) {
        do {
            _ = try ledger.commit(
                FileCommit(identity: identity, outcome: .quarantined(reason: reason.description)), now: now())
        } catch {
            events.ledgerFailed(.file, error: error)
            throw error
        }
        events.ledgerWrote()
        events.fileQuarantined(reason: reason.kind.rawValue)
    }

    /// Says once per unit, not per record, which alarm matches did not count: a unit of forged
    /// times must not flood the log.
    private func reportSkips(_ skips: AlarmAdmission.Skips, logger: Logger) {
        guard skips.total > 0 else { return }
        var metadata: Logger.Metadata = [
            "th.lateness": "\(ConfigDuration(alarms.lateness))",
            "th.clock_skew": "\(ConfigDuration(alarms.clockSkew))",
        ]
        for reason in AlarmAdmission.Skip.allCases { metadata["th.\(reason.rawValue)"] = "\(skips[reason])" }
        // Times from the future or that are not times point at a broken clock or a forged
        // record: a warning. Records older than the lateness are what a backlog is made of (a
        // first start on an old spool): a notice, counted in the metric all the same.
        let level: Logger.Level = skips.total > skips[.late] ? .warning : .notice
        logger.log(level: level, "Records skipped for alarms.", metadata: metadata)
        events.alarmMatchesSkipped(skips)
    }
}
