import ArgumentParser
import Foundation

/// `--rules DIR`, shared by the commands that load rules; without it, the bundled pack.
struct RulesOptions: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp("A rules directory or file (repeatable). Default: the bundled pack.", valueName: "dir"))
    var directories: [String] = []

    /// The directories to load: the ones given, or the bundled pack.
    func resolved() throws -> [String] {
        if !directories.isEmpty { return directories }
        guard let bundled = BundledRules.locate() else {
            throw ValidationError(
                "cannot find the bundled rules: give --rules DIR, or set TRAILHOUND_RULES (looked next to the executable, in ../share/trailhound/rules, and in the source tree)"
            )
        }
        return [bundled]
    }
}

/// Finds the rule pack that ships with trailhound, with no configuration.
enum BundledRules {
    /// In order: `$TRAILHOUND_RULES`; `../share/trailhound/rules` beside an installed binary;
    /// `rules/` in a parent of the executable (`swift run` in a clone: `.build/debug/trailhound`);
    /// `rules/` in the source tree the binary was built from.
    static func locate() -> String? {
        let manager = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var directory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
        }
        if let path = ProcessInfo.processInfo.environment["TRAILHOUND_RULES"], isDirectory(path) { return path }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let installed = executable.appendingPathComponent("../share/trailhound/rules").standardized.path
        if isDirectory(installed) { return installed }
        var directory = executable
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("rules").path
            if isDirectory(candidate),
                manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules").path
        return isDirectory(source) ? source : nil
    }
}
