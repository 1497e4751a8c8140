import ArgumentParser
import Foundation
import TrailPatterns

#if canImport(Glibc)
    import Glibc
#endif

/// `trailhound explain (--rule ID | PATTERN) [FILE…]`: why a record matched, or did not.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show, for each event, whether a pattern or rule matched it and why.",
        discussion: """
            For every event, prints each clause of the pattern in its own grouping of && and || (as `trailhound check --pattern` prints it), with the value its selector found (or "missing"), whether the clause is true, and the result of every && and || above it. All clauses are evaluated, so a failed match shows every clause that failed. Term patterns show each term found or not; a %regex% whether it was found. The evaluation is the engine's own: what explain says matches is what `match`, `replay` and `run` match (explain checks each verdict against the engine and reports a disagreement as an internal error).

            With --rule ID (from --rules DIR, or the bundled pack; disabled rules too), also shows the rule's `suppress` patterns when the pattern matched (a match a suppression catches does not alert). For a rule with an `alarm`, each counted match shows its group (the `group_by` values) and the windows it counts in, and the end shows, per group, when the alarm went into ALARM and out of it, with each window's count against the threshold, or how close a group came; as `replay` counts (event time, repeated eventIDs counted once, invalid eventTimes skipped), with the same alarm evaluator.

            Reads FILEs and DIRECTORies in every shape `trailhound match` reads ({"Records":[…]}, gzip, JSON lines, arrays, EventBridge, CloudWatch Logs payloads), or standard input when none is given or FILE is `-`. Values are cut to a readable length and escaped, so a record cannot forge a line of output. Output is text on a terminal and JSON lines otherwise (--format overrides): one object per line, with `type` `subject`, `record`, `alarm` and `summary`.

            Exit status: 0 when every event was explained; 1 when the pattern does not parse (the error shows the column with a caret) or no rule has the id; 2 when a file or event could not be read (the others are still explained), and on a usage error; 3 when an explanation disagreed with the engine (a bug; please report it).

            Put `--` before a pattern that starts with `-` (a term pattern such as `-DEBUG`).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case jsonl
    }

    @Option(name: .customLong("rule"), help: ArgumentHelp("Explain this rule instead of a pattern.", valueName: "id"))
    var ruleID: String?

    @Argument(
        help: ArgumentHelp(
            "A filter pattern (without --rule), then the files and directories to read; `-` or none reads standard input.",
            valueName: "pattern | file"))
    var arguments: [String] = []

    @OptionGroup var rules: RulesOptions

    @Flag(help: "Show only the events the pattern matched (suppressed matches included).")
    var onlyMatches = false

    @Option(help: ArgumentHelp("Show at most N events (an alarm still counts every match).", valueName: "n"))
    var limit: Int?

    @Option(help: "Output: text or jsonl. Default: text on a terminal, jsonl otherwise.")
    var format: Format?

    func validate() throws {
        if ruleID == nil && arguments.isEmpty {
            throw ValidationError("give a PATTERN, or --rule ID")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let subject: ExplainSubject
        let files: [String]
        if let ruleID {
            let directories = try rules.resolved()
            let (loaded, failed) = RuleCommands.load(directories, errors: StandardStream.error)
            switch ExplainRun.rule(ruleID, in: loaded, directories: directories, loadFailed: failed) {
            case .found(let rule): subject = ExplainSubject(rule: rule)
            case .unknown(let message):
                StandardStream.error.writeLine("trailhound: " + message)
                StandardStream.error.flush()
                throw ExitCode(ExplainRun.Status.badSubject)
            }
            files = arguments
        } else {
            let text = arguments[0]
            do {
                let pattern = try FilterPattern.parse(text)
                for warning in pattern.warnings { StandardStream.error.writeLine(warning.rendered(in: text)) }
                subject = ExplainSubject(pattern: pattern, text: text)
            } catch {
                for warning in error.warnings { StandardStream.error.writeLine(warning.rendered(in: text)) }
                StandardStream.error.writeLine(error.rendered)
                StandardStream.error.flush()
                throw ExitCode(ExplainRun.Status.badSubject)
            }
            files = Array(arguments.dropFirst())
        }
        var options = ExplainRun.Options()
        options.onlyMatches = onlyMatches
        options.limit = limit
        options.json = (format ?? (isatty(1) == 1 ? .text : .jsonl)) == .jsonl
        options.now = Int(Date().timeIntervalSince1970)
        let status = ExplainRun.execute(
            subject, inputs: InputPaths.expand(files.isEmpty ? ["-"] : files), options: options,
            output: StandardStream.output, errors: StandardStream.error)
        throw ExitCode(status)
    }
}
