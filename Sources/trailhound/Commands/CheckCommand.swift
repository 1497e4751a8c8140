import ArgumentParser
import TrailPatterns

/// `trailhound check --pattern PATTERN`: validate a filter pattern and print its canonical form.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a filter pattern and print its canonical form.",
        discussion: """
            The canonical form parenthesises every predicate and every `&&` group inside `||`, so it shows how the pattern is grouped (`&&` binds tighter than `||`). Errors and warnings are printed with a caret under the problem and a fix hint.

            Exit status: 0 if the pattern is valid, 1 if it is not.
            """
    )

    @Option(name: .long, help: "The filter pattern to check.")
    var pattern: String

    func run() throws {
        throw ExitCode(CheckRun.execute(pattern: pattern, output: StandardStream.output, errors: StandardStream.error))
    }
}
