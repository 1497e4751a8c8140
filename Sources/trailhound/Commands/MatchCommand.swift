import ArgumentParser
import TrailPatterns

/// `trailhound match PATTERN [FILE…]`: the offline twin of `aws logs test-metric-filter`.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Print the CloudTrail events that match a filter pattern.",
        discussion: """
            Reads events from FILEs and DIRECTORies (recursively: files named *.json, *.jsonl, *.ndjson, each optionally gzipped, and *.gz; symbolic links are not followed), or from standard input when none is given or FILE is `-`. Gzip is detected from the content. Every shape CloudTrail data comes in is read: {"Records":[…]} as CloudTrail delivers it, arrays of events, NDJSON (one event per line), EventBridge events (the CloudTrail record in `detail`), CloudWatch Logs subscription payloads (each `logEvents[].message`); digest files hold no events and are skipped. Prints each selected event as one compact JSON line.

            Exit status: 0 if an event was selected, 1 if none was, 2 on an error (a bad pattern, an unreadable file or invalid JSON), as grep does. A damaged file (truncated or corrupt gzip, invalid JSON) is reported with the record and byte offset, and the other files are still read; in NDJSON each line is read on its own, so the events on other lines are still read.

            Put `--` before a pattern that starts with `-` (a term pattern such as `-DEBUG`).
            """
    )

    @Argument(help: "A CloudWatch Logs filter pattern, e.g. '{ $.eventName = StopLogging }'. Empty matches all.")
    var pattern: String

    @Argument(help: "Files and directories to read; `-` or none reads standard input.")
    var files: [String] = []

    @Flag(name: [.short, .customLong("count")], help: "Print only the number of selected events.")
    var count = false

    @Flag(name: [.customShort("v"), .customLong("invert-match")], help: "Select the events that do not match.")
    var invertMatch = false

    @Flag(name: [.short, .customLong("quiet")], help: "Print nothing; exit 0 at the first selected event.")
    var quiet = false

    func run() throws {
        let options = MatchRun.Options(count: count, invert: invertMatch, quiet: quiet)
        let status = MatchRun.execute(
            pattern: pattern, inputs: InputPaths.expand(files.isEmpty ? ["-"] : files), options: options,
            output: StandardStream.output, errors: StandardStream.error)
        throw ExitCode(status)
    }
}
