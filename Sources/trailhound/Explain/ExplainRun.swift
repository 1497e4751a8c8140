import TrailJSON
import TrailPatterns
import TrailReader
import TrailRules

/// The logic of `trailhound explain`, with its inputs and outputs passed in.
///
/// Reads records as `match` does (every file shape, standard input, damaged files reported and
/// skipped), explains each with the engine's explainer, prints the explanations as text or JSON
/// lines, and for an alarm rule counts the matches and ends with what the alarm made of them.
enum ExplainRun {
    struct Options {
        /// Show only records the pattern matched (suppressed matches included).
        var onlyMatches = false
        /// Show at most this many records. Reading stops there, unless an alarm needs every match.
        var limit: Int?
        var json = false
        /// Wall-clock time in seconds since 1970: an alarm match more than the clock skew later
        /// does not count, as in replay.
        var now = 0
    }

    /// Exit statuses, in `--help`.
    enum Status {
        static let explained: Int32 = 0
        /// The pattern does not parse, or the rule is unknown.
        static let badSubject: Int32 = 1
        /// A file or a record could not be read.
        static let unreadable: Int32 = 2
        /// The explanation disagreed with the engine: a bug in trailhound.
        static let disagreement: Int32 = 3
    }

    /// The rule `--rule ID` names, or why there is none.
    enum RuleLookup {
        case found(Rule)
        /// One line: the id, where it was looked for, the nearest id, and any rule files that failed.
        case unknown(String)
    }

    static func rule(_ id: String, in rules: [Rule], directories: [String], loadFailed: Bool) -> RuleLookup {
        if let rule = rules.first(where: { $0.id == id }) { return .found(rule) }
        var message =
            "no rule with id `\(DisplayText.plain(id))` in \(directories.map(DisplayText.plain).joined(separator: ", "))"
        let similar =
            RuleFileReader.nearest(id, in: rules.map(\.id)).map { [$0] }
            ?? rules.map(\.id).filter { $0.contains(id) }.prefix(3).map { $0 }
        if !similar.isEmpty { message += "; did you mean " + similar.map { "`\($0)`" }.joined(separator: " or ") + "?" }
        if loadFailed { message += "; some rule files have errors (printed above), and the rule may be in one of them" }
        if rules.isEmpty { message += "; no rule loaded" }
        return .unknown(message)
    }

    /// What was read and shown, for the last line.
    struct Tally {
        var records = 0
        var matched = 0
        var suppressed = 0
        var shown = 0
        var invalid = 0
        var disagreements = 0
    }

    /// Explains every record of `inputs`; returns the exit status.
    static func execute(
        _ subject: ExplainSubject, inputs: [InputPaths.Entry], options: Options,
        output: some OutputStream, errors: some OutputStream, read: MatchRun.Reader = MatchRun.readFromDisk
    ) -> Int32 {
        defer {
            output.flush()
            errors.flush()
        }
        let renderer: any ExplanationRenderer = options.json ? ExplanationJSON() : ExplanationText()
        if let heading = renderer.subject(subject) { output.writeLine(heading) }
        var alarm = subject.rule?.alarm.map { AlarmReport(spec: $0) }
        var tally = Tally()
        var sawError = false
        for input in inputs {
            if let limit = options.limit, tally.shown >= limit, alarm == nil { break }
            guard case .file(let path) = input else {
                if case .problem(let message) = input { errors.writeLine("trailhound: " + DisplayText.plain(message)) }
                sawError = true
                continue
            }
            let name = path == "-" ? "(standard input)" : path
            var failures = 0
            func report(_ message: String) {
                failures += 1
                if failures <= MatchRun.errorsShownPerInput {
                    errors.writeLine("trailhound: " + DisplayText.plain(message))
                }
            }
            do throws(ReaderError) {
                _ = try read(path) { event in
                    let full = options.limit.map { tally.shown >= $0 } ?? false
                    if full && alarm == nil { return }
                    switch event {
                    case .invalidLine(let problem):
                        tally.invalid += 1
                        report(problem.description)
                    case .record(let record):
                        let explanation: RuleExplanation
                        let agrees: Bool
                        do throws(JSONError) {
                            (explanation, agrees) = try subject.explain(record.bytes)
                        } catch {
                            tally.invalid += 1
                            report(ReaderError(record: record, path: name, error: error).description)
                            return
                        }
                        tally.records += 1
                        if explanation.matched { tally.matched += 1 }
                        if explanation.suppressedBy != nil { tally.suppressed += 1 }
                        if !agrees {
                            tally.disagreements += 1
                            errors.writeLine(
                                "trailhound: internal error: \(DisplayText.plain(name)) record \(record.index): the explanation says \(explanation.alerts ? "it alerts" : "it does not alert") and the engine does not agree; please report this with the record"
                            )
                        }
                        let place = AlarmReport.Place(file: name, record: record.index)
                        var recordAlarm: AlarmReport.RecordAlarm?
                        if explanation.alerts, let rule = subject.rule, alarm != nil {
                            recordAlarm = alarm?.add(record.bytes, rule: rule, place: place, now: options.now)
                        }
                        guard !full, explanation.matched || !options.onlyMatches else { return }
                        tally.shown += 1
                        output.writeLine(
                            renderer.record(
                                ExplainedRecord(
                                    place: place, facts: RecordFacts(record.bytes), explanation: explanation,
                                    alarm: recordAlarm),
                                subject: subject))
                    }
                }
            } catch {
                report(error.description)
            }
            if failures > MatchRun.errorsShownPerInput {
                errors.writeLine(
                    "trailhound: \(DisplayText.plain(name)): \(failures - MatchRun.errorsShownPerInput) more errors not shown"
                )
            }
            sawError = sawError || failures > 0
        }
        if let alarm, let rule = subject.rule {
            output.writeLine(renderer.alarm(alarm.finish(), rule: rule, spec: alarm.spec))
        }
        output.writeLine(renderer.tally(tally, options: options))
        if tally.disagreements > 0 { return Status.disagreement }
        return sawError ? Status.unreadable : Status.explained
    }
}
