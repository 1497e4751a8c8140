import ArgumentParser
import Foundation
import TrailRules

#if canImport(Glibc)
    import Glibc
#endif

/// `trailhound replay [PATH…]`: runs the rules over old CloudTrail logs.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the rules over old CloudTrail logs and print the alerts.",
        discussion: """
            Reads files and directories (recursively) in every shape `trailhound match` knows; with no PATH, the sample spool that ships with trailhound. Alerts are printed in file path order, then record order, whatever --jobs is: as JSON lines when standard output is a pipe or a file, as readable text on a terminal (--format overrides). A summary (alerts per rule, files, records, unreadable files with their reasons, records per second) goes to standard error, with a progress line while it runs on a terminal.

            Rules with an `alarm` ("N matches in M minutes") raise an alert each time a group's window goes into ALARM, with CloudWatch alarm semantics evaluated on eventTime over all the files read, so out-of-order files count correctly; these alerts follow the others.

            Exit status: 0 if every file was read, 2 if any file or record could not be.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl
        case text
    }

    @Argument(
        help:
            "Files and directories to read, or s3://BUCKET/PREFIX (credentials, region and endpoint as the AWS CLI finds them; with --since only the days' folders are listed). Default: the bundled sample spool."
    )
    var paths: [String] = []

    @OptionGroup var rules: RulesOptions

    @Option(name: .customLong("rule"), help: ArgumentHelp("Only this rule (repeatable).", valueName: "id"))
    var ruleIDs: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only events at or after this time (UTC, e.g. 2026-11-01 or 2026-11-01T10:00:00Z).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only events before this time.", valueName: "time"))
    var until: String?

    @Option(help: "Files read at once. Default: the number of cores.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Alert output: jsonl or text. Default: text on a terminal, jsonl otherwise.")
    var format: Format?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        for time in [since, until].compactMap({ $0 }) where ReplayCommand.normalizedTime(time) == nil {
            throw ValidationError("`\(time)` is not a UTC time such as 2026-11-01 or 2026-11-01T10:00:00Z")
        }
    }

    /// `2026-11-01` → `2026-11-01T00:00:00Z`; full timestamps are kept. CloudTrail's `eventTime`
    /// has this form, so times compare as strings.
    static func normalizedTime(_ text: String) -> String? {
        let date = #/^\d{4}-\d{2}-\d{2}$/#
        let full = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/#
        if text.wholeMatch(of: date) != nil { return text + "T00:00:00Z" }
        return text.wholeMatch(of: full) != nil ? text : nil
    }

    func run() throws {
        let (loaded, failed) = RuleCommands.load(try rules.resolved(), errors: StandardStream.error)
        if failed { throw ExitCode(2) }
        var selected = loaded.filter(\.enabled)
        if !ruleIDs.isEmpty {
            let unknown = ruleIDs.filter { id in !loaded.contains { $0.id == id } }
            guard unknown.isEmpty else { throw ValidationError("no rule with id \(unknown.joined(separator: ", "))") }
            selected = loaded.filter { ruleIDs.contains($0.id) }
        }

        let inputs = paths.isEmpty ? [try ReplayCommand.sampleSpool()] : paths
        let since = since.flatMap(ReplayCommand.normalizedTime)
        let until = until.flatMap(ReplayCommand.normalizedTime)
        let input: any ReplayInput
        if inputs.contains(where: { $0.hasPrefix("s3://") }) {
            guard inputs.allSatisfy({ $0.hasPrefix("s3://") }) else {
                throw ValidationError("replay reads either local files or s3:// prefixes, not both at once")
            }
            do {
                input = try S3ReplayInput.make(
                    urls: inputs, since: since, until: until, environment: ProcessInfo.processInfo.environment)
            } catch {
                StandardStream.error.writeLine("trailhound: \(error)")
                throw ExitCode(2)
            }
        } else {
            var files: [String] = []
            for entry in InputPaths.expand(inputs) {
                switch entry {
                case .file(let path) where path != "-": files.append(path)
                case .file:
                    throw ValidationError("replay reads files and directories, not standard input; use `trailhound match`")
                case .problem(let message): StandardStream.error.writeLine("trailhound: \(message)")
                }
            }
            input = LocalReplayInput(names: files)
        }
        let terminalOutput = isatty(1) == 1
        var options = ReplayRun.Options()
        options.jobs = jobs
        options.json = (format ?? (terminalOutput ? .text : .jsonl)) == .jsonl
        options.since = since
        options.until = until
        options.progress = isatty(2) == 1
        let run = ReplayRun(
            rules: RuleSet(selected, includeDisabled: true), input: input, options: options,
            output: StandardStream.output,
            errors: StandardStream.error)
        throw ExitCode(run.execute())
    }

    /// The sample spool beside the bundled rules.
    static func sampleSpool() throws -> String {
        guard let rules = BundledRules.locate() else {
            throw ValidationError("give the files or directories to replay")
        }
        let spool = URL(fileURLWithPath: rules).deletingLastPathComponent().appendingPathComponent("samples/spool").path
        guard FileManager.default.fileExists(atPath: spool) else {
            throw ValidationError("give the files or directories to replay (no sample spool at \(spool))")
        }
        return spool
    }
}
