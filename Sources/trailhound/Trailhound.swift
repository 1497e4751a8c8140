import ArgumentParser

/// The `trailhound` command: CloudTrail alerting with CloudWatch Logs filter patterns.
@main
struct Trailhound: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trailhound",
        abstract: "Watch AWS CloudTrail logs and raise alerts with CloudWatch Logs filter patterns.",
        discussion: """
            Rules are CloudWatch Logs metric-filter patterns, such as `{ ($.eventName = StopLogging) || ($.errorCode = "AccessDenied*") }`, so the filters you run in CloudWatch work unchanged. See docs/rule-language.md.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, StatusCommand.self, ReplayCommand.self, MatchCommand.self, ExplainCommand.self,
            TestCommand.self,
            CheckCommand.self, RulesCommand.self, TestSinkCommand.self, RequeueCommand.self,
        ]
    )

    /// Runs the command; a usage error exits 2, as grep's do (ArgumentParser would exit 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStream.error.writeLine(fullMessage(for: error))
                StandardStream.error.flush()
                exit(withError: ExitCode(MatchRun.Status.error))
            }
            exit(withError: error)
        }
    }
}
