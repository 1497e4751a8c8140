package import TrailEngine
package import TrailReader
package import TrailRules

/// Turns a file's alarm matches into what its commit writes: reads the ledger's state for the
/// groups the file touches, asks the engine's `AlarmDecision`, and builds each firing's alert from
/// the record that tipped its window. Persistence, then the pure decision, then the alerts: the
/// file's one transaction records the result (`FileCommit.alarmWrites`, firings in its alerts).
///
/// The tipping record is in memory when it is one of this file's (`FileEvaluation.triggerRecords`);
/// when it came from an earlier file, the source reads that file again (`UnitArchive`: the spool
/// looks where the file was, or where the processed action moved it). A file deleted (or
/// changed) since leaves the alert without its record: it still names the rule, group, window,
/// count and the record's time.
package struct AlarmPlanner: Sendable {
    /// What a file's alarm matches come to.
    package struct Plan: Sendable {
        package var writes: [AlarmWrite] = []
        package var firings: [Alert] = []
        /// Firings whose tipping record could not be read again.
        package var withoutRecord = 0
    }

    let ledger: Ledger
    let archive: any UnitArchive
    let limits: ReaderLimits
    let admission: AlarmAdmission

    package init(ledger: Ledger, archive: any UnitArchive, limits: ReaderLimits, admission: AlarmAdmission) {
        self.ledger = ledger
        self.archive = archive
        self.limits = limits
        self.admission = admission
    }

    /// The plan for `evaluation` of the file at `path` (relative to the spool), at `now` (ms
    /// since 1970), for `rules` (the set the file was evaluated with).
    package func plan(
        _ evaluation: FileEvaluation, rules: RuleSet, path: String, now: Int64
    ) throws(LedgerError) -> Plan {
        var plan = Plan()
        // The file's matches come after every stored one of the same second, as they arrived
        // after them: the ledger's order is the commit's time, then the record's index.
        let base = UInt64(max(now, 0)) << 21
        let alarms = evaluation.alarms.map { (rule: rules.rules[$0.key], tally: $0.value) }
        for (rule, tally) in alarms.sorted(by: { $0.rule.id < $1.rule.id }) {
            guard let spec = rule.alarm, !tally.isEmpty else { continue }
            let file = tally.mapTriggers { trigger in
                var trigger = trigger
                trigger.unit = Ledger.committingFile
                trigger.order = base | UInt64(min(trigger.record, (1 << 21) - 1))
                return trigger
            }
            let stored = try ledger.alarmState(ruleID: rule.id, file: file) {
                AlarmDecision.reach(spec: spec, total: $0, fileMinutes: $1)
            }
            let decision = AlarmDecision.decide(
                ruleID: rule.id, spec: spec, file: file, stored: stored.tally, episodes: stored.episodes,
                admission: admission, now: Int(now / 1000))
            plan.writes.append(AlarmWrite(ruleID: rule.id, decision: decision))
            for raised in decision.raise {
                let trigger = raised.trigger
                if trigger.unit == Ledger.committingFile, let bytes = evaluation.triggerRecords[trigger.record] {
                    plan.firings.append(alert(raised, rule: rule, record: bytes, file: path))
                } else if let (bytes, name) = try storedRecord(trigger) {
                    plan.firings.append(alert(raised, rule: rule, record: bytes, file: name))
                } else {
                    let name = try ledger.alarmFilePath(trigger.unit) ?? path
                    plan.firings.append(AlarmFirings.alert(raised.firing, rule: rule, trigger: trigger, file: name))
                    plan.withoutRecord += 1
                }
            }
        }
        return plan
    }

    private func alert(_ raised: AlarmTally.Firing, rule: Rule, record: [UInt8], file: String) -> Alert {
        AlarmFirings.alert(
            raised.firing,
            trigger: record.withUnsafeBytes {
                Alert(rule: rule, record: $0, file: file, recordIndex: raised.trigger.record)
            })
    }

    /// The record a stored trigger names, read again from its file (the path it had in the spool,
    /// which alerts name); nil when the file is gone or no longer holds that event there.
    private func storedRecord(_ trigger: AlarmTrigger) throws(LedgerError) -> (record: [UInt8], path: String)? {
        guard let path = try ledger.alarmFilePath(trigger.unit), !path.isEmpty,
            let file = archive.reopen(path, limits: limits)
        else { return nil }
        var found: [UInt8]?
        _ = try? TrailFileReader.read(file, limits: limits) { event in
            guard found == nil, case .record(let record) = event, record.index == trigger.record,
                AlarmTrigger.eventID(of: record.bytes) == trigger.eventID
            else { return }
            found = Array(record.bytes)
        }
        return found.map { ($0, path) }
    }
}
