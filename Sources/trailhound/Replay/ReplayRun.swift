import Foundation
import TrailEngine
import TrailReader
import TrailRules

/// `trailhound replay`: every rule over old CloudTrail files, in parallel, with output in a
/// deterministic order (file path, then record index) whatever the number of jobs.
///
/// Workers take files one at a time and keep each file's alerts and counts; a file's alerts are
/// written as soon as every file before it is finished, so output streams without reordering.
final class ReplayRun: @unchecked Sendable {  // mutable state is only touched under `lock`
    struct Options {
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        var json = true
        /// Only events at or after / before these `eventTime` prefixes (ISO 8601, UTC).
        var since: String?
        var until: String?
        var progress = false
    }

    /// What one file produced (its alarm matches go to the run's alarm state as soon as it is read).
    struct FileResult {
        var alerts: [Alert] = []
        var records = 0
        var invalidRecords: [String] = []
        var error: ReaderError?
        var digest = false
    }

    private let rules: RuleSet
    private let input: any ReplayInput
    private var files: [String] { input.names }
    private let options: Options
    private let output: any OutputStream
    private let errors: any OutputStream
    private let lock = NSLock()
    private var results: [FileResult?]
    private var nextFile = 0
    private var nextToWrite = 0
    private var finishedFiles = 0
    private var firedAlarms: [String: Int] = [:]
    /// Each alarm rule's matches from every file read so far (by rule index): counts per group and
    /// minute, and where each minute's latest match is, so memory follows groups and minutes.
    /// A group whose matches so far can reach its threshold has its minutes' tipping records
    /// kept, so its firings need no second read.
    private var alarms: [Int: AlarmGroups] = [:]
    /// The records of triggers kept in memory (see `merge`), and their total size.
    private var keptRecords: [AlarmTrigger: [UInt8]] = [:]
    private var keptBytes = 0
    /// How many files were read a second time for the records of firings.
    private(set) var filesReadAgain = 0
    /// Beyond this many bytes of kept records, the rest are read again from their files.
    static let keptRecordsBudget = 32 << 20
    /// Alarm matches that did not count: no valid `eventTime`, or one beyond now plus the clock skew.
    private var alarmSkips = AlarmAdmission.Skips()
    private var recordsRead = 0
    /// What alarm matches are admitted against, seconds since 1970: the start of the run.
    private let now = Int(Date().timeIntervalSince1970)

    /// A replay of files on disk.
    convenience init(rules: RuleSet, files: [String], options: Options, output: any OutputStream, errors: any OutputStream) {
        self.init(rules: rules, input: LocalReplayInput(names: files), options: options, output: output, errors: errors)
    }

    init(rules: RuleSet, input: any ReplayInput, options: Options, output: any OutputStream, errors: any OutputStream) {
        self.rules = rules
        self.input = input
        self.options = options
        self.output = output
        self.errors = errors
        results = Array(repeating: nil, count: input.names.count)
    }

    /// Runs the replay; returns the exit status (0, or 2 when a file could not be read).
    func execute() -> Int32 {
        let start = Date()
        let workers = max(1, min(options.jobs, files.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread { [self] in
                work()
                group.leave()
            }
        }
        if options.progress {
            while group.wait(timeout: .now() + .milliseconds(200)) == .timedOut { drawProgress(since: start) }
            errors.write("\r\u{1B}[K")
        } else {
            group.wait()
        }
        lock.withLock { writeFinished() }
        writeAlarmFirings()
        output.flush()
        return summarize(elapsed: Date().timeIntervalSince(start))
    }

    // MARK: Workers

    private func work() {
        let evaluator = FileEvaluator(
            rules: rules, window: EventTimeWindow(since: options.since, until: options.until), keepsTriggerRecords: true
        )
        while true {
            let index: Int? = lock.withLock {
                guard nextFile < files.count else { return nil }
                defer { nextFile += 1 }
                return nextFile
            }
            guard let index else { return }
            let (result, evaluation) = read(files[index], unit: index, evaluator: evaluator)
            lock.withLock {
                results[index] = result
                for (rule, tally) in evaluation.alarms { merge(tally, rule: rule, records: evaluation.triggerRecords) }
                let skips = evaluation.alarmSkips
                for (reason, count) in skips.counts { alarmSkips.counts[reason, default: 0] += count }
                finishedFiles += 1
                recordsRead += result.records
                writeFinished()
            }
        }
    }

    private func read(_ path: String, unit: Int, evaluator: FileEvaluator) -> (FileResult, FileEvaluation) {
        var result = FileResult()
        do throws(ReaderError) {
            let source = try input.open(unit)
            defer { input.close(source) }
            let evaluation = try evaluator.evaluate(source: source, name: path, unit: unit, now: now)
            result.alerts = evaluation.alerts
            result.invalidRecords = evaluation.invalidRecords.map(\.description)
            result.records = evaluation.records
            result.digest = evaluation.isDigest
            return (result, evaluation)
        } catch {
            result.error = error
            return (result, FileEvaluation())
        }
    }

    /// Adds a file's tally of the alarm rule at `rule` to the run's, and keeps the tipping
    /// records a firing may name: those of minutes whose group has matches enough to reach the
    /// threshold so far (a window that fires holds that many; with files in time order, as
    /// CloudTrail names sort, its group has them all by then), within `keptRecordsBudget`. Any
    /// other firing reads its record again from its file, so the output is the same either
    /// way; what is kept only spares most of those reads. Lock held.
    private func merge(_ tally: AlarmTally, rule: Int, records: [Int: [UInt8]]) {
        // Taken out while it changes, so that it is changed in place, not copied.
        var merged = alarms.removeValue(forKey: rule) ?? AlarmGroups()
        let (replaced, groups) = merged.merge(tally)
        for trigger in replaced {
            if let dropped = keptRecords.removeValue(forKey: trigger) { keptBytes -= dropped.count }
        }
        alarms[rule] = merged
        guard let spec = rules.rules[rule].alarm else { return }
        for ((key, minute), group) in zip(tally.minutes, groups)
        where AlarmTally.canFire(spec, total: merged.added(group: group)) {
            let trigger = minute.trigger
            guard merged.minute(group: group, minute: key.minute)?.trigger == trigger, keptRecords[trigger] == nil,
                let bytes = records[trigger.record], keptBytes + bytes.count <= Self.keptRecordsBudget
            else { continue }
            keptRecords[trigger] = bytes
            keptBytes += bytes.count
        }
    }

    /// Evaluates every alarm rule over its matches from all files (so records count by event
    /// time, however out of order the files are), and writes the firings. Matches count as they
    /// would in the daemon, except that history of any age counts: replay has no lateness.
    ///
    /// A firing is built from the record that tipped its window: kept in memory when its group
    /// was hot (`merge`), otherwise read again from its file (the alarm state keeps where it is).
    private func writeAlarmFirings() {
        var fired: [(rule: Int, firing: AlarmTally.Firing)] = []
        for (index, rule) in rules.rules.enumerated() {
            guard let spec = rule.alarm, let groups = alarms[index] else { continue }
            fired += groups.firings(spec).map { (index, $0) }
        }
        let missing = fired.map(\.firing.trigger).filter { keptRecords[$0] == nil }
        let readAgain = triggerRecords(Dictionary(grouping: missing, by: \.unit))
        for (index, fired) in fired {
            let rule = rules.rules[index]
            let trigger = fired.trigger
            let file = files[trigger.unit]
            let alert: Alert
            if let bytes = keptRecords[trigger] ?? readAgain[trigger] {
                alert = AlarmFirings.alert(
                    fired.firing,
                    trigger: bytes.withUnsafeBytes {
                        Alert(rule: rule, record: $0, file: file, recordIndex: trigger.record)
                    })
            } else {
                errors.writeLine(
                    "trailhound: \(file): record \(trigger.record), which tipped an alarm of \(rule.id), cannot be read "
                        + "again (the file changed during the replay); its alert shows the window without the record")
                alert = AlarmFirings.alert(fired.firing, rule: rule, trigger: trigger, file: file)
            }
            firedAlarms[rule.id, default: 0] += 1
            output.writeLine(options.json ? alert.jsonLine : alert.text + "\n")
        }
    }

    /// The records the triggers name, read again from their files (one pass per file); a record
    /// whose `eventID` is no longer the one counted is left out.
    private func triggerRecords(_ byUnit: [Int: [AlarmTrigger]]) -> [AlarmTrigger: [UInt8]] {
        var found: [AlarmTrigger: [UInt8]] = [:]
        for (unit, triggers) in byUnit {
            filesReadAgain += 1
            let wanted = Dictionary(grouping: triggers, by: \.record)
            guard let source = try? input.open(unit) else { continue }
            defer { input.close(source) }
            _ = try? TrailFileReader.read(source: source, name: files[unit]) { event in
                guard case .record(let record) = event, let triggers = wanted[record.index] else { return }
                let id = AlarmTrigger.eventID(of: record.bytes)
                for trigger in triggers where trigger.eventID == id { found[trigger] = Array(record.bytes) }
            }
        }
        return found
    }

    /// Writes the alerts of every finished file whose predecessors are all written. Lock held.
    private func writeFinished() {
        while nextToWrite < results.count, let result = results[nextToWrite] {
            for alert in result.alerts {
                output.writeLine(options.json ? alert.jsonLine : alert.text + "\n")
            }
            nextToWrite += 1
        }
    }

    private func drawProgress(since start: Date) {
        let (done, records) = lock.withLock { (finishedFiles, recordsRead) }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(records) / elapsed
        let eta = done > 0 ? elapsed / Double(done) * Double(files.count - done) : 0
        errors.write(
            String(
                format: "\r\u{1B}[Kfiles %d/%d  records %d  %.0f records/s  ETA %.0fs", done, files.count, records,
                rate, eta))
        errors.flush()
    }

    // MARK: Summary

    private func summarize(elapsed: TimeInterval) -> Int32 {
        var perRule = firedAlarms
        var records = 0
        var unreadable: [String] = []
        var invalid: [String] = []
        var digests = 0
        for result in results.compactMap({ $0 }) {
            records += result.records
            for alert in result.alerts { perRule[alert.ruleID, default: 0] += 1 }
            if let error = result.error { unreadable.append(error.description) }
            invalid += result.invalidRecords
            if result.digest { digests += 1 }
        }
        var lines = [
            "replay: \(files.count) files (\(digests) digests), \(records) records, \(perRule.values.reduce(0, +)) alerts"
        ]
        for (rule, count) in perRule.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append(String(format: "  %6d  %@", count, rule))
        }
        if alarmSkips.total > 0 {
            let skew = "\(AlarmAdmission.replay.clockSkew / 60)m"
            lines.append(
                "alarm matches: \(alarmSkips.total) skipped for alarms (\(alarmSkips[.invalidTime]) without a valid "
                    + "eventTime, \(alarmSkips[.future]) later than now + \(skew))")
        }
        if !unreadable.isEmpty {
            lines.append("unreadable files (\(unreadable.count)):")
            lines += unreadable.map { "  " + $0 }
        }
        if !invalid.isEmpty {
            lines.append("invalid records (\(invalid.count)):")
            lines += invalid.prefix(20).map { "  " + $0 }
            if invalid.count > 20 { lines.append("  … \(invalid.count - 20) more") }
        }
        let rate = elapsed > 0 ? Double(records) / elapsed : 0
        lines.append(
            String(format: "%.2f s, %.0f records/s, %d jobs", elapsed, rate, max(1, min(options.jobs, files.count))))
        for line in lines { errors.writeLine(line) }
        errors.flush()
        return unreadable.isEmpty && invalid.isEmpty ? 0 : 2
    }
}
