package import TrailJSON
import TrailPatterns
package import TrailReader
package import TrailRules

/// Runs one file through a rule set: the step `replay`, `run` and the benchmarks share, so that a
/// rule does in a replay exactly what it does live. One pass: the reader frames records and the
/// rule set's projection reads each record's fields as it frames it.
///
/// Alarm rules' matches are not alerts yet: each is tallied (group, minute, event, and where the
/// latest match of a minute is) after `AlarmAdmission` says it counts, so what a file leaves
/// behind for its alarms is bounded by its groups and minutes, not by its matches.
///
/// Holds the per-thread scratch state (match context, result buffers); use one per thread.
package final class FileEvaluator {
    package let rules: RuleSet
    package let limits: ReaderLimits
    /// Which alarm matches count (`replay`: history of any age).
    package let admission: AlarmAdmission
    /// Which events count at all (`replay --since/--until`).
    package let window: EventTimeWindow
    /// Whether the evaluation keeps the records of minutes' latest matches, which a firing names:
    /// the daemon may not find the file again once it is processed, and `replay` keeps those of
    /// groups that can fire rather than read most files twice.
    package let keepsTriggerRecords: Bool
    /// For each alarm rule (by index in the rule set), where its `group_by` selectors are in the
    /// rule set's projected fields, in their order.
    private let alarmGroups: [Int: [Int]]
    private var context: MatchContext
    private var alerting: [Int] = []
    /// Scratch for a match's group name (reused: one allocation per name, for the string itself).
    private var groupBytes: [UInt8] = []
    /// Per alarm rule, how many minutes its tally had in the file before: the next file's tally
    /// starts that large (files of one trail are alike), not growing and rehashing ten times.
    private var tallySizes: [Int: Int] = [:]

    package init(
        rules: RuleSet, limits: ReaderLimits = .default, admission: AlarmAdmission = .replay,
        window: EventTimeWindow = .all, keepsTriggerRecords: Bool = false
    ) {
        self.rules = rules
        self.limits = limits
        self.admission = admission
        self.window = window
        self.keepsTriggerRecords = keepsTriggerRecords
        var alarmGroups: [Int: [Int]] = [:]
        for (index, rule) in rules.rules.enumerated() {
            guard let alarm = rule.alarm else { continue }
            alarmGroups[index] = alarm.groupBy.map { path in
                guard let projected = rules.projectedPath(path) else {
                    preconditionFailure("RuleSet projects every alarm rule's group_by selector")
                }
                return projected
            }
        }
        self.alarmGroups = alarmGroups
        assert(alarmGroups.isEmpty || rules.projectedPath(JSONPath([.key("eventID")])) == RuleSet.eventIDPath)
        context = rules.makeContext()
    }

    /// Reads and evaluates the file at `path`; alerts name it `name` (for the daemon, the path
    /// relative to the spool). `unit` is the caller's handle on the file, kept in alarm triggers;
    /// `now` (seconds since 1970) is what alarm matches are admitted against.
    package func evaluate(
        path: String, name: String? = nil, unit: Int = 0, now: Int
    ) throws(ReaderError) -> FileEvaluation {
        let file = try InputFile.open(path, limits: limits)
        return try evaluate(file, name: name ?? path, unit: unit, now: now)
    }

    /// As `evaluate(path:)`, for a file already opened (the daemon hashes the same descriptor).
    package func evaluate(
        _ file: InputFile, name: String, unit: Int = 0, now: Int
    ) throws(ReaderError) -> FileEvaluation {
        try evaluate(source: file, name: name, unit: unit, now: now)
    }

    /// As `evaluate(path:)`, for bytes from any source (an S3 object as it streams in).
    package func evaluate(
        source: any ByteSource, name: String, unit: Int = 0, now: Int
    ) throws(ReaderError) -> FileEvaluation {
        var result = FileEvaluation()
        var newest: [UInt8] = []
        var triggerUses: [Int: Int] = [:]
        let rules = self.rules
        let summary = try TrailFileReader.read(
            source: source, name: name, limits: limits,
            projector: { (buffer) throws(JSONError) in try rules.projectPrefix(buffer, in: &self.context) }
        ) { event in
            switch event {
            case .invalidLine(let error):
                result.invalidRecords.append(error)
            case .record(let record):
                do throws(JSONError) {
                    if record.isProjected {
                        rules.evaluateProjected(record.bytes, in: &context, alerting: &alerting)
                    } else {
                        try rules.evaluate(record.bytes, in: &context, alerting: &alerting)
                    }
                } catch {
                    result.invalidRecords.append(ReaderError(record: record, path: name, error: error))
                    return
                }
                noteEventTime(record.bytes, context.fields, &newest)
                for index in alerting {
                    if let group = alarmGroups[index] {
                        tally(
                            record, rule: index, group: group, unit: unit, now: now, into: &result, uses: &triggerUses)
                        continue
                    }
                    let alert = Alert(
                        rule: rules.rules[index], record: record.bytes, file: name, recordIndex: record.index)
                    guard window.contains(alert.eventTime) else { continue }
                    result.alerts.append(alert)
                }
            }
        }
        for (rule, tally) in result.alarms { tallySizes[rule] = tally.minutes.count }
        result.records = summary.records
        result.isDigest = summary.kind == .digest
        if !newest.isEmpty {
            result.newestEventTime = AlarmEvaluator.seconds(fromEventTime: String(decoding: newest, as: UTF8.self))
        }
        return result
    }

    /// Counts a match of the alarm rule at `rule` in the file's tally, if it counts at all. What it
    /// reads (time, id, `group_by` fields) is in the fields the rule set projected for the record.
    private func tally(
        _ record: TrailRecord, rule: Int, group paths: [Int], unit: Int, now: Int, into result: inout FileEvaluation,
        uses: inout [Int: Int]
    ) {
        let fields = context.fields
        let bytes = record.bytes
        func first(_ path: Int) -> ProjectedValue? {
            let index = fields.firstIndex(of: path)
            return index >= 0 ? fields.candidate(at: index) : nil
        }
        /// Calls `body` with a string's decoded bytes or a number's text, as `Alert` reads them;
        /// with nil for any other value or none.
        func withText<T>(_ path: Int, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
            guard let value = first(path), value.kind == .string || value.kind == .number else { return body(nil) }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[value.range])
            guard value.kind == .string, value.hasEscapes else { return body(raw) }
            var decoded = JSONString.decodedString(raw)
            return decoded.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        if window.isBounded {
            let eventTime = withText(RuleSet.eventTimePath) { $0.map { String(decoding: $0, as: UTF8.self) } }
            guard window.contains(eventTime) else { return }
        }
        let time = withText(RuleSet.eventTimePath) { $0.flatMap(AlarmEvaluator.seconds(fromEventTime:)) }
        if let reason = admission.skip(time, now: now) {
            result.alarmSkips.counts[reason, default: 0] += 1
            return
        }
        let match = AlarmTrigger(
            time: time!, order: UInt64(unit) << 32 | UInt64(record.index), unit: unit, record: record.index,
            eventID: withText(RuleSet.eventIDPath) { $0.map { EventFingerprint($0) } })
        let group = groupName(paths, fields, bytes)
        let (counted, replaced) = result.alarms[rule, default: AlarmTally(minimumCapacity: tallySizes[rule] ?? 0)].add(
            group: group, match)
        guard keepsTriggerRecords, counted, let replaced else { return }
        // The new trigger's record is kept; the one it replaced is let go once no minute names it.
        if uses[record.index, default: 0] == 0 { result.triggerRecords[record.index] = Array(record.bytes) }
        uses[record.index, default: 0] += 1
        if let old = replaced {
            uses[old.record, default: 1] -= 1
            if uses[old.record] == 0 {
                uses[old.record] = nil
                result.triggerRecords[old.record] = nil
            }
        }
    }

    /// The values of the `group_by` fields at `paths`, joined by ` / ` (`-` for an absent one,
    /// `all` for no `group_by`), as `group(_:_:)` spells them.
    private func groupName(_ paths: [Int], _ fields: ProjectedFields, _ record: UnsafeRawBufferPointer) -> String {
        guard !paths.isEmpty else { return "all" }
        groupBytes.removeAll(keepingCapacity: true)
        for (position, path) in paths.enumerated() {
            if position > 0 { groupBytes.append(contentsOf: " / ".utf8) }
            let index = fields.firstIndex(of: path)
            guard index >= 0 else {
                groupBytes.append(UInt8(ascii: "-"))
                continue
            }
            let value = fields.candidate(at: index)
            let raw = UnsafeRawBufferPointer(rebasing: record[value.range])
            if value.hasEscapes {
                groupBytes.append(contentsOf: JSONString.decodedString(raw).utf8)
            } else {
                groupBytes.append(contentsOf: raw)
            }
        }
        return String(decoding: groupBytes, as: UTF8.self)
    }

    /// Keeps the greatest `eventTime` seen: ISO 8601 UTC times order as their bytes do, so no
    /// record's time is parsed unless it is the newest so far.
    private func noteEventTime(_ record: UnsafeRawBufferPointer, _ fields: ProjectedFields, _ newest: inout [UInt8]) {
        let index = fields.firstIndex(of: RuleSet.eventTimePath)
        guard index >= 0 else { return }
        let value = fields.candidate(at: index)
        guard value.kind == .string, !value.hasEscapes else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: record[value.range])
        if bytes.lexicographicallyPrecedes(newest) || bytes.elementsEqual(newest) { return }
        newest = Array(bytes)
    }

    /// The values of an alarm's `group_by` selectors in `record`, joined; `-` for an absent one
    /// (what `evaluate` tallies a match under; `explain` reads it here).
    package static func group(_ record: UnsafeRawBufferPointer, _ projection: JSONProjection) -> String {
        guard !projection.paths.isEmpty else { return "all" }
        var fields = projection.makeFields()
        guard (try? projection.project(record, into: &fields)) != nil else { return "-" }
        return projection.paths.indices.map { path in
            guard let value = fields.candidates(path).first else { return "-" }
            let text = UnsafeRawBufferPointer(rebasing: record[value.range])
            return value.hasEscapes ? JSONString.decodedString(text) : String(decoding: text, as: UTF8.self)
        }.joined(separator: " / ")
    }
}
