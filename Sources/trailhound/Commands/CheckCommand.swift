import ArgumentParser
import TrailPatterns

/// `trailhound check --pattern PATTERN`: validate a filter pattern and print its canonical form.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate rule files, or one filter pattern.",
        discussion: """
            Without --pattern, loads and compiles every rule (the bundled pack, or --rules DIR), prints every problem as FILE:LINE:COLUMN, and warns about suspicious rules, such as a pattern that alerts on ordinary read-only calls (like the CIS v1.4 4.1 erratum).

            With --pattern, prints the pattern's canonical form, which parenthesises every predicate and every `&&` group inside `||`, so it shows how the pattern is grouped (`&&` binds tighter than `||`); errors are printed with a caret under the problem and a fix hint.

            Exit status: 0 if everything is valid, 1 if not.
            """
    )

    @Option(name: .long, help: "Check this filter pattern instead of rule files.")
    var pattern: String?

    @OptionGroup var rules: RulesOptions

    func run() throws {
        if let pattern {
            throw ExitCode(
                CheckRun.execute(pattern: pattern, output: StandardStream.output, errors: StandardStream.error))
        }
        throw ExitCode(
            RuleCommands.check(
                directories: try rules.resolved(), output: StandardStream.output, errors: StandardStream.error))
    }
}
