import TrailEngine
import TrailJSON
import TrailPatterns
import TrailRules

/// Explanations for tools: one JSON object per line, each with a `type`: `subject` first, then one
/// `record` per record shown, an `alarm` for a rule with an alarm, and a closing `summary`.
///
/// A clause is `{"clause", "selector", "result", "values": [{"kind", "value"}], "satisfiedBy",
/// "note"}`; an `&&`/`||` node is `{"op": "and"|"or", "result", "operands"}`. Values longer than
/// `valueLimit` characters are cut, with `"truncated": true` and their full length in `bytes`.
struct ExplanationJSON: ExplanationRenderer {
    static let valueLimit = 1024

    func subject(_ subject: ExplainSubject) -> String? {
        var members: [JSONValue.Member] = [.init("type", .string("subject"))]
        switch subject.kind {
        case .pattern(let text):
            members += [
                .init("pattern", .string(text)), .init("canonical", .string(subject.pattern.description)),
            ]
        case .rule(let rule):
            members += [
                .init("rule", .string(rule.id)), .init("title", .string(rule.title)),
                .init("severity", .string(rule.severity.rawValue)), .init("enabled", .bool(rule.enabled)),
                .init("file", .string(rule.file)), .init("pattern", .string(rule.patternText)),
                .init("canonical", .string(rule.pattern.description)),
                .init("suppress", .array(rule.suppress.map { .string($0.description) })),
            ]
            if let alarm = rule.alarm { members.append(.init("alarm", Self.spec(alarm))) }
        }
        return JSONValue.object(members).compactText
    }

    func record(_ record: ExplainedRecord, subject: ExplainSubject) -> String {
        let explanation = record.explanation
        var members: [JSONValue.Member] = [
            .init("type", .string("record")), .init("file", .string(record.place.file)),
            .init("record", Self.number(record.place.record)),
        ]
        let facts: [(String, String?)] = [
            ("eventTime", record.facts.eventTime), ("eventID", record.facts.eventID),
            ("eventSource", record.facts.eventSource), ("eventName", record.facts.eventName),
        ]
        for (key, value) in facts { if let value { members.append(.init(key, Self.text(value))) } }
        members.append(.init("matched", .bool(explanation.matched)))
        if subject.rule != nil {
            members.append(.init("suppressedBy", explanation.suppressedBy.map { Self.number($0 + 1) } ?? .null))
            members.append(.init("alerts", .bool(explanation.alerts)))
        }
        members.append(.init("pattern", Self.pattern(explanation.pattern)))
        if subject.rule?.suppress.isEmpty == false {
            members.append(.init("suppress", .array(explanation.suppressions.map(Self.pattern))))
        }
        if let alarm = record.alarm {
            var fields: [JSONValue.Member] = [.init("group", .string(alarm.group))]
            if let skip = alarm.skip { fields.append(.init("skipped", .string(skip.rawValue))) }
            if let ends = alarm.windowEnds {
                fields.append(.init("firstWindowEnd", .string(Alert.isoTime(ends.lowerBound))))
                fields.append(.init("lastWindowEnd", .string(Alert.isoTime(ends.upperBound))))
            }
            if let first = alarm.sameEventAs { fields.append(.init("sameEventAs", Self.place(first))) }
            members.append(.init("alarm", .object(fields)))
        }
        return JSONValue.object(members).compactText
    }

    func alarm(_ outcome: AlarmReport.Outcome, rule: Rule, spec: AlarmSpec) -> String {
        let groups: [JSONValue] = outcome.groups.map { group in
            var members: [JSONValue.Member] = [
                .init("group", .string(group.group)), .init("matches", Self.number(group.matches)),
                .init("transitions", .array(group.transitions.map(Self.evaluation))),
                .init(
                    "firings",
                    .array(
                        group.firings.map { firing, trigger in
                            .object([
                                .init("at", .string(Alert.isoTime(firing.at))),
                                .init("windowStart", .string(Alert.isoTime(firing.windowStart))),
                                .init("count", Self.number(firing.count)),
                                .init("threshold", Self.number(spec.threshold)),
                                .init("until", .string(Alert.isoTime(firing.end))),
                                .init("trigger", Self.place(trigger)),
                            ])
                        })),
            ]
            if let peak = group.peak { members.append(.init("peak", Self.evaluation(peak))) }
            return .object(members)
        }
        return JSONValue.object([
            .init("type", .string("alarm")), .init("rule", .string(rule.id)), .init("spec", Self.spec(spec)),
            .init("groups", .array(groups)),
            .init("repeated", .array(outcome.repeated.map(Self.place))),
            .init(
                "skipped",
                .array(
                    outcome.skipped.map { skip in
                        .object([.init("reason", .string(skip.reason.rawValue)), .init("at", Self.place(skip.place))])
                    })),
        ]).compactText
    }

    func tally(_ tally: ExplainRun.Tally, options: ExplainRun.Options) -> String {
        JSONValue.object([
            .init("type", .string("summary")), .init("records", Self.number(tally.records)),
            .init("matched", Self.number(tally.matched)), .init("suppressed", Self.number(tally.suppressed)),
            .init("shown", Self.number(tally.shown)), .init("unreadable", Self.number(tally.invalid)),
            .init("limitReached", .bool(options.limit.map { tally.shown >= $0 } ?? false)),
        ]).compactText
    }

    // MARK: Pieces

    static func pattern(_ explanation: PatternExplanation) -> JSONValue {
        var members: [JSONValue.Member] = [.init("result", .bool(explanation.matched))]
        switch explanation.body {
        case .matchAll:
            members.insert(.init("kind", .string("matchAll")), at: 0)
        case .notAnObject(let kind):
            members.insert(.init("kind", .string("json")), at: 0)
            members.append(.init("notAnObject", .string(kind.description)))
        case .regex(let source, let found):
            members.insert(.init("kind", .string("regex")), at: 0)
            members += [.init("regex", .string(source)), .init("found", .bool(found))]
        case .terms(let terms):
            members.insert(.init("kind", .string("terms")), at: 0)
            let list: [JSONValue] = terms.map { term in
                let role: String
                switch term.term.role {
                case .required: role = "required"
                case .excluded: role = "excluded"
                case .optional: role = "optional"
                }
                return .object([
                    .init("term", text(term.term.text)), .init("role", .string(role)),
                    .init("found", .bool(term.found)), .init("counts", .bool(term.counts)),
                ])
            }
            members.append(.init("terms", .array(list)))
        case .json(let node):
            members.insert(.init("kind", .string("json")), at: 0)
            members.append(.init("tree", self.node(node)))
        }
        return .object(members)
    }

    static func node(_ node: PatternExplanation.Node) -> JSONValue {
        switch node {
        case .clause(let clause):
            var members: [JSONValue.Member] = [
                .init("clause", .string(clause.text)),
                .init("selector", .string(clause.predicate.selector.description)),
                .init("result", .bool(clause.result)), .init("values", .array(clause.values.map(value))),
            ]
            if let satisfied = clause.satisfiedBy { members.append(.init("satisfiedBy", number(satisfied))) }
            if let note = clause.note { members.append(.init("note", .string(self.note(note)))) }
            return .object(members)
        case .and(let operands, let result), .or(let operands, let result):
            let op: String
            if case .and = node { op = "and" } else { op = "or" }
            return .object([
                .init("op", .string(op)), .init("result", .bool(result)),
                .init("operands", .array(operands.map(self.node))),
            ])
        }
    }

    static func value(_ value: PatternExplanation.FoundValue) -> JSONValue {
        var members: [JSONValue.Member] = [.init("kind", .string(value.kind.description))]
        let cut = value.text.unicodeScalars.count > valueLimit || value.byteCount > value.bytes.count
        let shown = cut ? String(String.UnicodeScalarView(value.text.unicodeScalars.prefix(valueLimit))) : value.text
        members.append(.init("value", .string(shown)))
        if cut {
            members.append(.init("truncated", .bool(true)))
            members.append(.init("bytes", number(value.byteCount)))
        }
        return .object(members)
    }

    /// The stable name of a note, for tools.
    static func note(_ note: PatternExplanation.Note) -> String {
        switch note {
        case .missing: "missing"
        case .notEqualOnMissing: "notEqualOnMissing"
        case .notComparable: "notComparable"
        case .relationalOnString: "relationalOnString"
        case .literalIsString: "literalIsString"
        }
    }

    static func evaluation(_ evaluation: AlarmEvaluator.Evaluation) -> JSONValue {
        let state: String
        switch evaluation.state {
        case .ok: state = "OK"
        case .alarm: state = "ALARM"
        case .insufficientData: state = "INSUFFICIENT_DATA"
        }
        return .object([
            .init("at", .string(Alert.isoTime(evaluation.at))),
            .init("windowStart", .string(Alert.isoTime(evaluation.windowStart))),
            .init("count", number(evaluation.count)),
            .init("periodCounts", .array(evaluation.periodCounts.map(number))),
            .init("breaching", number(evaluation.breaching)), .init("state", .string(state)),
        ])
    }

    static func spec(_ spec: AlarmSpec) -> JSONValue {
        .object([
            .init("summary", .string(spec.summary)), .init("threshold", number(spec.threshold)),
            .init("period", number(spec.period)), .init("evaluationPeriods", number(spec.evaluationPeriods)),
            .init("datapointsToAlarm", number(spec.datapointsToAlarm)),
            .init("treatMissingData", .string(spec.treatMissingData.rawValue)),
            .init("groupBy", .array(spec.groupBy.map { .string($0.description) })),
        ])
    }

    static func place(_ place: AlarmReport.Place) -> JSONValue {
        .object([.init("file", .string(place.file)), .init("record", number(place.record))])
    }

    static func number(_ value: Int) -> JSONValue { .number(String(value)) }

    /// A string from a record, cut to `valueLimit` characters.
    static func text(_ value: String) -> JSONValue {
        .string(value.unicodeScalars.count > valueLimit ? String(value.prefix(valueLimit)) + "…" : value)
    }
}
