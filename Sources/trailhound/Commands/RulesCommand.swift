import ArgumentParser
import TrailRules

#if canImport(Glibc)
    import Glibc
#endif

/// `trailhound rules`: the loaded rules, or the ATT&CK Navigator layer of what they detect.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules, or write the ATT&CK Navigator layer of what they detect.",
        discussion: """
            Loads the rules as `trailhound check` does (the bundled pack, or --rules DIR) and prints one row per rule, in path order: its id, severity, whether it is enabled, its ATT&CK technique ids (references.mitre), its Stratus Red Team technique ids (references.stratus), and its alarm (such as "≥3 in 5m by $.userIdentity.userName"), or `-`. An aligned table on a terminal, JSON lines otherwise (--format overrides; each line also has the title, the CIS and Security Hub references and the file).

            With --attack-layer, prints a MITRE ATT&CK Navigator layer (layer format 4.5, domain enterprise-attack) to open in the Navigator: one technique per ATT&CK id that an enabled rule names (every rule with --all), sub-techniques such as T1098.001 as their own entries. A technique's score is the number of rules that name it, and its comment lists them. A parent technique that no rule names but whose sub-technique is detected is listed without a score (it is not detected itself) and opened on its sub-techniques; the layer shows aggregate scores, so the parent's cell sums its family.

            Exit status: 0, or 1 if a rule file has errors (they are printed, and the rules that loaded are still listed).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table
        case jsonl
    }

    @OptionGroup var rules: RulesOptions

    @Option(help: "Output: table or jsonl. Default: table on a terminal, jsonl otherwise.")
    var format: Format?

    @Flag(help: "Print the ATT&CK Navigator layer (JSON) of the techniques the rules detect.")
    var attackLayer = false

    @Flag(help: "Count disabled rules in the layer too.")
    var all = false

    func validate() throws {
        if all && !attackLayer { throw ValidationError("--all applies to --attack-layer (the list shows every rule)") }
        if attackLayer && format != nil { throw ValidationError("--format applies to the list, not to --attack-layer") }
    }

    func run() throws {
        let directories = try rules.resolved()
        let (loaded, failed) = RuleCommands.load(directories, errors: StandardStream.error)
        let text: String
        if attackLayer {
            text =
                AttackLayer.layer(loaded, includeDisabled: all, source: directories.joined(separator: ", "))
                .prettyText() + "\n"
        } else if (format ?? (isatty(1) == 1 ? .table : .jsonl)) == .table {
            text = RuleListing.table(loaded)
        } else {
            text = RuleListing.jsonLines(loaded)
        }
        StandardStream.output.write(text)
        StandardStream.output.flush()
        throw ExitCode(failed ? 1 : 0)
    }
}
