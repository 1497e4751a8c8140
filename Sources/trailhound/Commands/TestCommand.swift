import ArgumentParser
import TrailRules

/// `trailhound test`: runs the tests the rules carry.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the tests embedded in rule files.",
        discussion: """
            Every rule's `tests` list holds CloudTrail records and whether the rule must alert on them (its suppressions included; for alarm rules, whether the record counts towards the alarm). Prints each failure with the rule, the test and the record, then `N passed, N failed`. Exit status: 0 if all passed, 1 otherwise (also when a rule file has errors).
            """
    )

    @OptionGroup var rules: RulesOptions

    func run() throws {
        let status = RuleCommands.test(
            directories: try rules.resolved(), output: StandardStream.output, errors: StandardStream.error)
        throw ExitCode(status)
    }
}
