import ArgumentParser
import TrailPatterns

/// `trailhound check --pattern PATTERN`: validate a filter pattern and print its canonical form.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a filter pattern and print its canonical form.",
        discussion: """
            The canonical form parenthesises every predicate and every `&&` group inside `||`, so it
            shows how the pattern is grouped (`&&` binds tighter than `||`). Errors and warnings are
            printed with a caret under the problem. Exit status: 0 if valid, 1 if invalid.
            """
    )

    @Option(name: .long, help: "The filter pattern to check.")
    var pattern: String

    func run() throws {
        throw ExitCode(CheckRun.execute(pattern: pattern, output: StandardStream.output, errors: StandardStream.error))
    }
}
