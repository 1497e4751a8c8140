package import TrailJSON
import TrailPatterns
package import TrailReader
package import TrailRules

/// Runs one file through a rule set: the step `replay` and `run` share, so that a rule does in a
/// replay exactly what it does live.
///
/// Holds the per-thread scratch state (match context, result buffers); use one per thread.
package final class FileEvaluator {
    package let rules: RuleSet
    package let limits: ReaderLimits
    /// For each alarm rule (by index), the projection of its `group_by` selectors.
    private let groupProjections: [Int: JSONProjection]
    private var context: MatchContext
    private var alerting: [Int] = []

    package init(rules: RuleSet, limits: ReaderLimits = .default) {
        self.rules = rules
        self.limits = limits
        var groupProjections: [Int: JSONProjection] = [:]
        for (index, rule) in rules.rules.enumerated() {
            if let alarm = rule.alarm { groupProjections[index] = JSONProjection(paths: alarm.groupBy) }
        }
        self.groupProjections = groupProjections
        context = rules.makeContext()
    }

    /// Reads and evaluates the file at `path`; alerts name it `name` (for the daemon, the path
    /// relative to the spool). `keep` filters alerts (replay's `--since`/`--until`).
    package func evaluate(
        path: String, name: String? = nil, keep: (Alert) -> Bool = { _ in true }
    ) throws(ReaderError) -> FileEvaluation {
        let file = try InputFile.open(path, limits: limits)
        return try evaluate(file, name: name ?? path, keep: keep)
    }

    /// As `evaluate(path:)`, for a file already opened (the daemon hashes the same descriptor).
    package func evaluate(
        _ file: InputFile, name: String, keep: (Alert) -> Bool = { _ in true }
    ) throws(ReaderError) -> FileEvaluation {
        var result = FileEvaluation()
        var newest: [UInt8] = []
        let rules = self.rules
        let summary = try TrailFileReader.read(
            file, limits: limits,
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
                    let alert = Alert(
                        rule: rules.rules[index], record: record.bytes, file: name, recordIndex: record.index)
                    guard keep(alert) else { continue }
                    if let projection = groupProjections[index] {
                        result.alarmMatches.append(
                            AlarmMatch(rule: index, group: Self.group(record.bytes, projection), alert: alert))
                    } else {
                        result.alerts.append(alert)
                    }
                }
            }
        }
        result.records = summary.records
        result.isDigest = summary.kind == .digest
        if !newest.isEmpty {
            result.newestEventTime = AlarmEvaluator.seconds(fromEventTime: String(decoding: newest, as: UTF8.self))
        }
        return result
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

    /// The values of an alarm's `group_by` selectors in `record`, joined; `-` for an absent one.
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
