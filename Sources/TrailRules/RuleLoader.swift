import Foundation

/// Loads every rule file under some directories: `*.yaml` and `*.yml`, recursively, in path order.
package enum RuleLoader {
    /// The rules that loaded without error, and every diagnostic (including duplicate ids, which
    /// keep the first rule and report the second).
    package static func load(_ directories: [String]) -> (rules: [Rule], diagnostics: [RuleDiagnostic]) {
        var rules: [Rule] = []
        var diagnostics: [RuleDiagnostic] = []
        var seen: [String: Rule] = [:]
        for directory in directories {
            let files: [String]
            do {
                files = try ruleFiles(under: directory)
            } catch {
                diagnostics.append(
                    RuleDiagnostic(
                        file: directory, line: 0, column: 0,
                        "cannot read the rules directory: \(error.localizedDescription)"))
                continue
            }
            if files.isEmpty {
                diagnostics.append(
                    RuleDiagnostic(.warning, file: directory, line: 0, column: 0, "no rule files (*.yaml, *.yml) here"))
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    diagnostics.append(RuleDiagnostic(file: file, line: 0, column: 0, "cannot read the file"))
                    continue
                }
                let (rule, found) = RuleFileReader.read(String(decoding: data, as: UTF8.self), file: file)
                diagnostics += found
                guard let rule else { continue }
                if let first = seen[rule.id] {
                    diagnostics.append(
                        RuleDiagnostic(
                            file: file, line: rule.line, column: rule.column,
                            "duplicate rule id `\(rule.id)`, first defined at \(first.file):\(first.line):\(first.column)"
                        ))
                    continue
                }
                seen[rule.id] = rule
                rules.append(rule)
            }
        }
        return (rules, diagnostics)
    }

    static func ruleFiles(under directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile)
        }
        guard isDirectory.boolValue else { return [directory] }
        var result: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            let path = directory + "/" + name
            var child: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &child) else { continue }
            if child.boolValue {
                result += try ruleFiles(under: path)
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                result.append(path)
            }
        }
        return result
    }
}
