import ArgumentParser
import Foundation
import TrailDaemon
import TrailDelivery
import TrailRules

/// `--config`, `--spool` and `--state`, shared by `run`, `status` and `check --config`.
struct DaemonOptions: ParsableArguments {
    static let defaultConfig = "/etc/trailhound/trailhound.yaml"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file (default: \(DaemonOptions.defaultConfig) if it exists).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The spool directory (overrides spool.directory).", valueName: "dir"))
    var spool: String?

    @Option(name: .long, help: ArgumentHelp("The ledger database (overrides state.path).", valueName: "path"))
    var state: String?

    /// The configuration file in use, if any.
    var configPath: String? {
        if let config { return config }
        return FileManager.default.fileExists(atPath: Self.defaultConfig) ? Self.defaultConfig : nil
    }

    /// The validated configuration: the file's, or the defaults for `--spool`.
    func load() throws -> DaemonConfiguration {
        var configuration: DaemonConfiguration
        do {
            if let path = configPath {
                configuration = try DaemonConfiguration.load(
                    path: path, spoolOverride: spool, sinkKinds: SinkFactory.kinds)
            } else if let spool {
                configuration = DaemonConfiguration(spool: spool)
            } else {
                throw ValidationError(
                    "no configuration: give --config FILE, or --spool DIR to run on defaults (\(Self.defaultConfig) does not exist)"
                )
            }
        } catch let error as ConfigurationError {
            throw ValidationError("configuration: " + error.located(in: configPath ?? "(defaults)"))
        }
        if let state { configuration.state.path = state }
        return configuration
    }

    /// Loads the configured rules (or `override`, or the bundled pack); throws listing every
    /// error, since the daemon must not start on a rule set it cannot fully load.
    static func rules(_ configuration: DaemonConfiguration, override: [String] = []) throws -> [Rule] {
        var directories = override.isEmpty ? configuration.ruleDirectories : override
        if directories.isEmpty {
            guard let bundled = BundledRules.locate() else {
                throw ValidationError("cannot find the bundled rules: set rules.directories or TRAILHOUND_RULES")
            }
            directories = [bundled]
        }
        let (rules, diagnostics) = RuleLoader.load(directories)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw RulesError(diagnostics: errors)
        }
        return rules
    }
}

/// Rules that failed to load, one diagnostic per line.
struct RulesError: Error, CustomStringConvertible {
    var diagnostics: [RuleDiagnostic]
    var description: String {
        "\(diagnostics.count) rule error(s):\n" + diagnostics.map(\.description).joined(separator: "\n")
    }
}
