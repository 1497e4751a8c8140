import TrailEngine
import TrailJSON
import TrailPatterns
import TrailRules

/// Explanations for people: one block per record, the pattern as an indented tree with the
/// result of every node first, and the value each clause's selector found.
///
/// Everything taken from a record (values, event ids, file names) goes through `DisplayText`,
/// so no record can forge a line.
struct ExplanationText: ExplanationRenderer {
    /// Values listed per clause before the rest are counted.
    static let valuesShown = 5

    func subject(_ subject: ExplainSubject) -> String? {
        switch subject.kind {
        case .pattern:
            return "pattern   " + DisplayText.plain(subject.pattern.description) + "\n"
        case .rule(let rule):
            var lines = [
                "rule      \(rule.id): \(DisplayText.plain(rule.title))",
                "          \(rule.severity.rawValue), "
                    + (rule.enabled ? "enabled" : "disabled (run and replay do not run it)")
                    + ", \(DisplayText.plain(rule.file)):\(rule.line)",
                "pattern   " + DisplayText.plain(rule.pattern.description),
            ]
            for (index, suppression) in rule.suppress.enumerated() {
                lines.append("suppress  \(index + 1). " + DisplayText.plain(suppression.description))
            }
            if let alarm = rule.alarm {
                lines.append("alarm     \(alarm.summary), missing periods: \(alarm.treatMissingData.rawValue)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    func record(_ record: ExplainedRecord, subject: ExplainSubject) -> String {
        let explanation = record.explanation
        var lines = [
            "\(DisplayText.plain(record.place.file)) record \(record.place.record): \(verdict(record, subject))"
        ]
        let facts = [
            record.facts.eventTime.map { DisplayText.excerpt($0, limit: 40) },
            record.facts.eventSource.map { DisplayText.excerpt($0, limit: 60) },
            record.facts.eventName.map { DisplayText.excerpt($0, limit: 80) },
            record.facts.eventID.map { "eventID " + DisplayText.quoted($0, limit: 60) },
        ].compactMap { $0 }
        if !facts.isEmpty { lines.append("  " + facts.joined(separator: "  ")) }
        lines += body(explanation.pattern, indent: "  ")
        if let rule = subject.rule, !rule.suppress.isEmpty {
            if explanation.matched {
                for (index, suppression) in explanation.suppressions.enumerated() {
                    lines.append(
                        "  suppress \(index + 1): \(result(suppression.matched)) "
                            + DisplayText.plain(rule.suppress[index].description))
                    lines += body(suppression, indent: "    ")
                }
            } else {
                lines.append("  suppress: not consulted, the pattern did not match")
            }
        }
        if let alarm = record.alarm, let spec = subject.rule?.alarm {
            lines.append("  alarm: " + Self.recordAlarm(alarm, spec))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func verdict(_ record: ExplainedRecord, _ subject: ExplainSubject) -> String {
        let explanation = record.explanation
        guard let rule = subject.rule else { return explanation.matched ? "MATCH" : "no match" }
        if let index = explanation.suppressedBy { return "SUPPRESSED by suppress \(index + 1) (matched, no alert)" }
        guard explanation.matched else { return "no match" }
        guard rule.alarm != nil else { return "ALERT" }
        if let skip = record.alarm?.skip { return "matched, but does not count toward the alarm: " + Self.reason(skip) }
        return "COUNTS toward the alarm"
    }

    // MARK: Patterns

    /// The lines of one pattern's explanation, the root first.
    private func body(_ explanation: PatternExplanation, indent: String) -> [String] {
        switch explanation.body {
        case .matchAll:
            return [indent + "true   the empty pattern matches every record"]
        case .notAnObject(let kind):
            return [indent + "false  the record is a JSON \(kind), not an object: a JSON pattern never matches it"]
        case .regex(let source, let found):
            return [
                indent + result(found) + "  %" + DisplayText.plain(source) + "% "
                    + (found ? "found" : "not found") + " in the record's text"
            ]
        case .terms(let terms):
            var lines = [indent + result(explanation.matched) + "  terms, searched in the record's text"]
            for (index, term) in terms.enumerated() {
                let last = index == terms.count - 1
                let prefix: String
                switch term.term.role {
                case .required: prefix = ""
                case .excluded: prefix = "-"
                case .optional: prefix = "?"
                }
                var line =
                    indent + (last ? "└─ " : "├─ ") + (term.found ? "found      " : "not found  ") + prefix
                    + DisplayText.quoted(term.term.text)
                if !term.counts { line += "  (ignored: ? terms count only without plain or - terms)" }
                lines.append(line)
            }
            return lines
        case .json(let node):
            return tree(node, first: indent, rest: indent)
        }
    }

    /// `node` and its operands: `first` prefixes the node's own line, `rest` its operands' lines.
    private func tree(_ node: PatternExplanation.Node, first: String, rest: String) -> [String] {
        let operands: [PatternExplanation.Node]
        let label: String
        switch node {
        case .clause(let clause):
            return [first + result(clause.result) + "  " + Self.clause(clause)]
        case .and(let nodes, _):
            (operands, label) = (nodes, "AND, all of \(nodes.count)")
        case .or(let nodes, _):
            (operands, label) = (nodes, "OR, any of \(nodes.count)")
        }
        var lines = [first + result(node.result) + "  " + label]
        for (index, operand) in operands.enumerated() {
            let last = index == operands.count - 1
            lines += tree(operand, first: rest + (last ? "└─ " : "├─ "), rest: rest + (last ? "   " : "│  "))
        }
        return lines
    }

    private func result(_ value: Bool) -> String { value ? "true " : "false" }

    /// A clause, what its selector found, and why it is false when that is not obvious.
    static func clause(_ clause: PatternExplanation.Clause) -> String {
        var text = DisplayText.plain(clause.text) + "  "
        switch clause.values.count {
        case 0:
            text += "missing"
        case 1:
            text += "found " + value(clause.values[0])
        default:
            let shown = clause.values.prefix(valuesShown).enumerated().map { index, found in
                value(found) + (index == clause.satisfiedBy ? " (true for this one)" : "")
            }
            text += "found \(clause.values.count) values: " + shown.joined(separator: ", ")
            if clause.values.count > valuesShown {
                text += ", … \(clause.values.count - valuesShown) more"
                if let satisfied = clause.satisfiedBy, satisfied >= valuesShown {
                    text += " (true for value \(satisfied + 1))"
                }
            }
        }
        if let note = clause.note { text += " (" + Self.note(note, clause) + ")" }
        return text
    }

    /// A found value: strings quoted and escaped, numbers and literals as written, containers cut.
    static func value(_ value: PatternExplanation.FoundValue) -> String {
        switch value.kind {
        case .string: return DisplayText.quoted(value.text)
        case .number: return DisplayText.excerpt(value.text, limit: DisplayText.valueLimit)
        case .true, .false, .null: return value.text
        case .object, .array:
            // Only a prefix of a container is kept; 40 characters of it say what it is.
            return "\(value.kind) " + DisplayText.excerpt(value.text, limit: 40)
        }
    }

    static func note(_ note: PatternExplanation.Note, _ clause: PatternExplanation.Clause) -> String {
        let selector = DisplayText.plain(clause.predicate.selector.description)
        switch note {
        case .missing:
            return "only NOT EXISTS is true for a missing field"
        case .notEqualOnMissing:
            return
                "!= is false for a missing field too; `(\(selector) NOT EXISTS) || (\(selector) != …)` means absent or different"
        case .notComparable(let kind):
            return "a JSON \(kind) never compares; only strings and numbers do"
        case .relationalOnString:
            return "< > <= >= are false for strings, even numeric ones"
        case .literalIsString:
            return "IS TRUE, IS FALSE and IS NULL test JSON literals, not strings; compare the string with ="
        }
    }

    // MARK: Alarms

    static func recordAlarm(_ alarm: AlarmReport.RecordAlarm, _ spec: AlarmSpec) -> String {
        let group = "group " + DisplayText.quoted(alarm.group)
        if let skip = alarm.skip { return group + ", not counted: " + reason(skip) }
        guard let ends = alarm.windowEnds else { return group }
        let length = AlarmSpec.duration(spec.period * spec.evaluationPeriods)
        let span =
            ends.lowerBound == ends.upperBound
            ? "the \(length) window ending \(Alert.isoTime(ends.lowerBound))"
            : "the \(length) windows ending \(Self.range(ends.lowerBound, ends.upperBound, separator: " … "))"
        let repeated = alarm.sameEventAs.map {
            " (same eventID as \(DisplayText.plain($0.file)) record \($0.record): the two count once)"
        }
        return group + ", counts in " + span + (repeated ?? "")
    }

    static func reason(_ skip: AlarmAdmission.Skip) -> String {
        switch skip {
        case .invalidTime: "no valid eventTime (YYYY-MM-DDTHH:MM:SSZ)"
        case .future: "eventTime later than now plus the clock skew"
        case .late: "eventTime older than the lateness"
        }
    }

    func alarm(_ outcome: AlarmReport.Outcome, rule: Rule, spec: AlarmSpec) -> String {
        var lines = [
            "alarm \(rule.id): \(spec.summary), missing periods: \(spec.treatMissingData.rawValue)"
        ]
        if outcome.groups.isEmpty { lines.append("  no match counted: never in ALARM") }
        for group in outcome.groups {
            let name = "  group " + DisplayText.quoted(group.group)
            let matches = "\(group.matches) match\(group.matches == 1 ? "" : "es") counted"
            if group.firings.isEmpty {
                var line = name + ": \(matches), never in ALARM"
                if let peak = group.peak { line += "; closest: " + Self.window(peak, spec) }
                lines.append(line)
                continue
            }
            lines.append(
                name + ": \(matches), \(group.firings.count) time\(group.firings.count == 1 ? "" : "s") in ALARM")
            for evaluation in group.transitions {
                var line =
                    "    \(Alert.isoTime(evaluation.at))  " + Self.state(evaluation.state) + "  "
                    + Self.window(evaluation, spec)
                if let firing = group.firings.first(where: { $0.firing.at == evaluation.at }) {
                    line +=
                        "; alert, tipped by \(DisplayText.plain(firing.trigger.file)) record \(firing.trigger.record), in ALARM until \(Alert.isoTime(firing.firing.end))"
                }
                lines.append(line)
            }
        }
        let notCounted =
            outcome.repeated.map { (place: $0, why: "its eventID was already counted") }
            + outcome.skipped.map { (place: $0.place, why: Self.reason($0.reason)) }
        if !notCounted.isEmpty {
            lines.append("  not counted (\(notCounted.count)):")
            for entry in notCounted.prefix(20) {
                lines.append("    \(DisplayText.plain(entry.place.file)) record \(entry.place.record): \(entry.why)")
            }
            if notCounted.count > 20 { lines.append("    … \(notCounted.count - 20) more") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func state(_ state: AlarmEvaluator.State) -> String {
        switch state {
        case .ok: "OK               "
        case .alarm: "ALARM            "
        case .insufficientData: "INSUFFICIENT_DATA"
        }
    }

    /// An evaluated window and its count against the threshold.
    static func window(_ evaluation: AlarmEvaluator.Evaluation, _ spec: AlarmSpec) -> String {
        let window = "window " + range(evaluation.windowStart, evaluation.at, separator: "–")
        guard spec.evaluationPeriods == 1 else {
            let counts = evaluation.periodCounts.map(String.init).joined(separator: ", ")
            return window
                + ": matches per \(AlarmSpec.duration(spec.period)) period \(counts) (oldest first), \(evaluation.breaching) breaching (≥\(spec.threshold)) of \(spec.datapointsToAlarm) needed"
        }
        let count = evaluation.count
        if count == 0 { return window + ": no match, a missing period (\(spec.treatMissingData.rawValue))" }
        return window
            + ": \(count) match\(count == 1 ? "" : "es") \(count >= spec.threshold ? "≥" : "<") \(spec.threshold)"
    }

    /// Two times, the second without its date when it is the same day: `2026-11-22T10:00:00Z–10:05:00Z`.
    static func range(_ start: Int, _ end: Int, separator: String) -> String {
        let first = Alert.isoTime(start)
        let second = Alert.isoTime(end)
        let sameDay = first.prefix(11) == second.prefix(11)
        return first + separator + (sameDay ? String(second.dropFirst(11)) : second)
    }

    func tally(_ tally: ExplainRun.Tally, options: ExplainRun.Options) -> String {
        var text = "explained \(tally.records) record\(tally.records == 1 ? "" : "s"): \(tally.matched) matched"
        if tally.suppressed > 0 { text += " (\(tally.suppressed) suppressed)" }
        text += ", \(tally.shown) shown"
        if let limit = options.limit, tally.shown >= limit { text += " (--limit \(limit))" }
        if tally.invalid > 0 { text += ", \(tally.invalid) unreadable" }
        return text
    }
}
