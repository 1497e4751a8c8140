import ArgumentParser
import Foundation
import Logging
import TrailDaemon
import TrailDelivery
import TrailPatterns

/// `trailhound check --pattern PATTERN`: validate a filter pattern and print its canonical form.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate rule files, or one filter pattern.",
        discussion: """
            With --config, first validates the daemon configuration (unknown keys, bad values, file permissions) and builds its sinks (secrets readable, signing keys valid, templates compiling, webhook destinations https and allowed), then checks the rules it names; the systemd unit runs this before starting.

            Without --pattern, loads and compiles every rule (the bundled pack, or --rules DIR), prints every problem as FILE:LINE:COLUMN, and warns about suspicious rules, such as a pattern that alerts on ordinary read-only calls (like the CIS v1.4 4.1 erratum).

            With --pattern, prints the pattern's canonical form, which parenthesises every predicate and every `&&` group inside `||`, so it shows how the pattern is grouped (`&&` binds tighter than `||`); errors are printed with a caret under the problem and a fix hint.

            Both warn when a pattern (or a rule's suppress pattern) compares $.eventName or $.eventSource, with = or !=, with a name no CloudTrail event has, and suggest the nearest real one: `{ ($.eventSource = lambda.amazonaws.com) && ($.eventName = UpdateFunctionCode) }` gets `did you mean "UpdateFunctionCode20150331v2"?`. Names are looked up under the eventSource the pattern pins with `&&`, else under every source; a wildcard warns only if nothing matches it; case counts. The catalogue of names is compiled in (botocore's service models and real CloudTrail records; docs/rule-language.md says how to rebuild it), and AWS adds APIs every week, so an unknown name is a warning, never an error.

            Exit status: 0 if everything is valid, 1 if not.
            """
    )

    @Option(name: .long, help: "Check this filter pattern instead of rule files.")
    var pattern: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also validate this daemon configuration file, and check the rules it names.", valueName: "file"))
    var config: String?

    @OptionGroup var rules: RulesOptions

    func run() async throws {
        if let config {
            let configuration: DaemonConfiguration
            do {
                configuration = try DaemonConfiguration.load(path: config, sinkKinds: SinkFactory.kinds)
            } catch {
                StandardStream.error.writeLine(error.located(in: config))
                StandardStream.error.flush()
                throw ExitCode(1)
            }
            do {
                // Secrets, signing keys, templates and destinations, as `run` would build them.
                var logger = Logger(label: "trailhound")
                logger.logLevel = .error
                let sinks = try SinkFactory(
                    environment: ProcessInfo.processInfo.environment,
                    configurationDirectory: configuration.configurationDirectory, logger: logger
                ).make(configuration.sinks)
                for sink in sinks { await sink.shutdown() }
            } catch {
                StandardStream.error.writeLine("\(config): \(error)")
                StandardStream.error.flush()
                throw ExitCode(1)
            }
            StandardStream.output.writeLine("\(config): configuration valid (spool \(configuration.spool.directory))")
            let directories = rules.directories.isEmpty ? configuration.ruleDirectories : rules.directories
            throw ExitCode(
                RuleCommands.check(
                    directories: directories.isEmpty ? try rules.resolved() : directories,
                    output: StandardStream.output, errors: StandardStream.error))
        }
        if let pattern {
            throw ExitCode(
                CheckRun.execute(pattern: pattern, output: StandardStream.output, errors: StandardStream.error))
        }
        throw ExitCode(
            RuleCommands.check(
                directories: try rules.resolved(), output: StandardStream.output, errors: StandardStream.error))
    }
}
