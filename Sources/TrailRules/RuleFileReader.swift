import TrailJSON
import TrailPatterns
import Yams

/// Reads one rule file (YAML) into a validated `Rule`, or diagnostics with file:line:column.
///
/// The first stage walks the YAML tree with libyaml's positions rather than decoding with
/// `Codable`, so every problem can point at its line and column: an unknown key (named by its
/// path, with the nearest known key suggested), a value of the wrong type, an invalid pattern (at
/// the pattern's own column), an inconsistent alarm, a test record that is not JSON. The second
/// stage checks what the values mean together.
package enum RuleFileReader {
    package static let topLevelKeys = [
        "id", "title", "severity", "description", "pattern", "references", "runbook", "enabled", "suppress", "alarm",
        "tests",
    ]
    static let referenceKeys = ["cis", "securityhub", "mitre", "stratus"]
    static let alarmKeys = [
        "threshold", "period", "evaluation_periods", "datapoints_to_alarm", "treat_missing_data", "group_by",
    ]
    static let testKeys = ["name", "alert", "record"]
    /// An ATT&CK technique or sub-technique: `T1098` or `T1098.001`.
    static var mitreID: (Regex<(Substring, Substring?)>, String) { (/T\d{4}(\.\d{3})?/, "an ATT&CK technique id such as T1098 or T1098.001") }
    /// A Stratus Red Team AWS technique: `aws.TACTIC.NAME`.
    static var stratusID: (Regex<(Substring, Substring?, Substring?)>, String) {
        (/aws\.[a-z]+(-[a-z]+)*\.[a-z0-9]+(-[a-z0-9]+)*/, "a Stratus Red Team id such as aws.defense-evasion.cloudtrail-stop")
    }

    /// Parses `text`, the contents of `file`. Returns the rule when there is no error.
    package static func read(_ text: String, file: String) -> (rule: Rule?, diagnostics: [RuleDiagnostic]) {
        var walker = Walker(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return (nil, [RuleDiagnostic(file: file, line: 0, column: 0, "the file is empty")])
            }
            root = node
        } catch let error as YamlError {
            return (nil, [walker.yamlDiagnostic(error)])
        } catch {
            return (nil, [RuleDiagnostic(file: file, line: 0, column: 0, "not YAML: \(error)")])
        }
        let rule = walker.rule(root)
        return (walker.diagnostics.contains { $0.severity == .error } ? nil : rule, walker.diagnostics)
    }

    /// Stateful walk over one file's YAML tree.
    struct Walker {
        let file: String
        var diagnostics: [RuleDiagnostic] = []

        mutating func error(_ node: Node?, _ message: String) {
            let mark = node?.mark
            diagnostics.append(RuleDiagnostic(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message))
        }

        func yamlDiagnostic(_ error: YamlError) -> RuleDiagnostic {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
                return RuleDiagnostic(file: file, line: mark.line, column: mark.column, "invalid YAML: \(problem)")
            default:
                return RuleDiagnostic(file: file, line: 0, column: 0, "invalid YAML: \(error)")
            }
        }

        /// The mapping's entries, with unknown keys reported (by their path) and skipped.
        mutating func entries(_ node: Node, path: String, allowed: [String]) -> [String: (key: Node, value: Node)]? {
            guard let mapping = node.mapping else {
                error(node, "`\(path.isEmpty ? "the rule" : path)` must be a mapping of keys to values")
                return nil
            }
            var result: [String: (key: Node, value: Node)] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    error(key, "keys must be plain strings")
                    continue
                }
                let full = path.isEmpty ? name : path + "." + name
                guard allowed.contains(name) else {
                    let suggestion = RuleFileReader.nearest(name, in: allowed).map { "; did you mean `\($0)`?" } ?? ""
                    error(key, "unknown key `\(full)` (allowed: \(allowed.joined(separator: ", ")))\(suggestion)")
                    continue
                }
                if result[name] != nil { error(key, "`\(full)` is given twice") }
                result[name] = (key, value)
            }
            return result
        }

        mutating func string(_ node: Node?, _ path: String, required: Bool = false, owner: Node? = nil) -> String? {
            guard let node else {
                if required { error(owner, "`\(path)` is required") }
                return nil
            }
            guard let scalar = node.scalar else {
                error(node, "`\(path)` must be a string")
                return nil
            }
            return scalar.string
        }

        mutating func int(_ node: Node?, _ path: String) -> Int? {
            guard let node else { return nil }
            guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.string) else {
                error(node, "`\(path)` must be a whole number")
                return nil
            }
            return value
        }

        mutating func bool(_ node: Node?, _ path: String) -> Bool? {
            guard let node else { return nil }
            guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
                error(node, "`\(path)` must be true or false")
                return nil
            }
            return scalar.string == "true"
        }

        /// `strings`, each checked against `shape`; a mistyped id would otherwise vanish from
        /// coverage reports without a word.
        mutating func identifiers<Output>(_ node: Node?, _ path: String, _ shape: (Regex<Output>, String)) -> [String] {
            strings(node, path).compactMap { text, item in
                guard (try? shape.0.wholeMatch(in: text)) != nil else {
                    error(item, "`\(path)` has \"\(text)\", which is not \(shape.1)")
                    return nil
                }
                return text
            }
        }

        mutating func strings(_ node: Node?, _ path: String) -> [(String, Node)] {
            guard let node else { return [] }
            if let scalar = node.scalar { return [(scalar.string, node)] }
            guard let sequence = node.sequence else {
                error(node, "`\(path)` must be a string or a list of strings")
                return []
            }
            var result: [(String, Node)] = []
            for item in sequence {
                if let text = string(item, path + "[]") { result.append((text, item)) }
            }
            return result
        }

        /// Parses a filter pattern written at `node`, mapping its errors to file positions.
        mutating func readPattern(_ text: String, at node: Node, _ path: String) -> FilterPattern? {
            readPattern(PatternSite(key: path, text: text, node: node))
        }

        mutating func readPattern(_ site: PatternSite) -> FilterPattern? {
            do {
                let pattern = try FilterPattern.parse(site.text)
                for warning in pattern.warnings {
                    diagnostics.append(site.ruleDiagnostic(warning, file: file, severity: .warning))
                }
                return pattern
            } catch {
                diagnostics.append(site.ruleDiagnostic(error.diagnostic, file: file, severity: .error))
                return nil
            }
        }

        mutating func rule(_ root: Node) -> Rule? {
            guard let fields = entries(root, path: "", allowed: RuleFileReader.topLevelKeys) else { return nil }
            let id = string(fields["id"]?.value, "id", required: true, owner: root)
            if let id, let node = fields["id"]?.value,
                id.isEmpty
                    || !id.allSatisfy({
                        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_")
                    })
            {
                error(
                    node,
                    "`id` must be letters, digits, `-`, `.` and `_` (it names the rule in alerts and on the command line)"
                )
            }
            let title = string(fields["title"]?.value, "title", required: true, owner: root)
            var severity: RuleSeverity?
            if let text = string(fields["severity"]?.value, "severity", required: true, owner: root) {
                severity = RuleSeverity(rawValue: text)
                if severity == nil {
                    error(
                        fields["severity"]?.value,
                        "`severity` must be one of \(RuleSeverity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            var filter: FilterPattern?
            var sites: [PatternSite] = []
            let patternText = string(fields["pattern"]?.value, "pattern", required: true, owner: root)
            if let patternText, let node = fields["pattern"]?.value {
                let site = PatternSite(key: "pattern", text: patternText, node: node)
                filter = readPattern(site)
                sites.append(site)
            }
            var references = Rule.References()
            if let node = fields["references"]?.value,
                let items = entries(node, path: "references", allowed: RuleFileReader.referenceKeys)
            {
                references.cis = strings(items["cis"]?.value, "references.cis").map(\.0)
                references.securityHub = strings(items["securityhub"]?.value, "references.securityhub").map(\.0)
                references.mitre = identifiers(items["mitre"]?.value, "references.mitre", RuleFileReader.mitreID)
                references.stratus = identifiers(items["stratus"]?.value, "references.stratus", RuleFileReader.stratusID)
            }
            var suppress: [FilterPattern] = []
            for (index, (text, node)) in strings(fields["suppress"]?.value, "suppress").enumerated() {
                let site = PatternSite(key: "suppress[\(index)]", text: text, node: node)
                if let parsed = readPattern(site) {
                    suppress.append(parsed)
                    sites.append(site)
                }
            }
            let alarm = fields["alarm"].flatMap { readAlarm($0.value) }
            let tests = fields["tests"].map { readTests($0.value) } ?? []
            let enabled = bool(fields["enabled"]?.value, "enabled") ?? true
            guard let id, let title, let severity, let filter, let patternText else { return nil }
            var rule = Rule(
                id: id, title: title, severity: severity,
                description: string(fields["description"]?.value, "description") ?? "", pattern: filter,
                patternText: patternText, references: references,
                runbook: string(fields["runbook"]?.value, "runbook") ?? "",
                enabled: enabled, suppress: suppress, alarm: alarm, tests: tests, file: file)
            rule.line = fields["id"]?.value.mark?.line ?? 0
            rule.column = fields["id"]?.value.mark?.column ?? 0
            rule.patternSites = sites
            return rule
        }

        mutating func readAlarm(_ node: Node) -> AlarmSpec? {
            guard let fields = entries(node, path: "alarm", allowed: RuleFileReader.alarmKeys) else { return nil }
            let threshold = int(fields["threshold"]?.value, "alarm.threshold") ?? 1
            let period = int(fields["period"]?.value, "alarm.period") ?? 300
            let evaluationPeriods = int(fields["evaluation_periods"]?.value, "alarm.evaluation_periods") ?? 1
            let datapoints = int(fields["datapoints_to_alarm"]?.value, "alarm.datapoints_to_alarm") ?? evaluationPeriods
            var missing = AlarmSpec.MissingData.missing
            if let text = string(fields["treat_missing_data"]?.value, "alarm.treat_missing_data") {
                if let value = AlarmSpec.MissingData(rawValue: text) {
                    missing = value
                } else {
                    error(
                        fields["treat_missing_data"]?.value,
                        "`alarm.treat_missing_data` must be one of \(AlarmSpec.MissingData.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
            }
            var groupBy: [JSONPath] = []
            let selectors = strings(fields["group_by"]?.value, "alarm.group_by")
            if selectors.count > 3 {
                error(fields["group_by"]?.value, "`alarm.group_by` takes at most 3 selectors, like metric dimensions")
            }
            for (text, item) in selectors {
                // A selector is checked by the pattern parser, inside a predicate that needs nothing else.
                if let parsed = readPattern("{ \(text) NOT EXISTS }", at: item, "alarm.group_by"),
                    case .json(.predicate(let predicate)) = parsed.body
                {
                    groupBy.append(predicate.selector)
                } else if !diagnostics.contains(where: { $0.line == item.mark?.line }) {
                    error(item, "`alarm.group_by` entries must be selectors such as `$.userIdentity.arn`")
                }
            }
            if threshold < 1 { error(fields["threshold"]?.value, "`alarm.threshold` must be at least 1") }
            if period < 60 || period % 60 != 0 {
                error(
                    fields["period"]?.value, "`alarm.period` must be a whole number of minutes, in seconds (60, 300, …)"
                )
            }
            if evaluationPeriods < 1 {
                error(fields["evaluation_periods"]?.value, "`alarm.evaluation_periods` must be at least 1")
            }
            if datapoints < 1 || datapoints > evaluationPeriods {
                error(
                    fields["datapoints_to_alarm"]?.value ?? node,
                    "`alarm.datapoints_to_alarm` must be between 1 and `evaluation_periods` (\(evaluationPeriods))")
            }
            if period * evaluationPeriods > 86_400 {
                error(node, "`alarm.period` × `alarm.evaluation_periods` must be at most one day, as in CloudWatch")
            }
            return AlarmSpec(
                threshold: threshold, period: period, evaluationPeriods: evaluationPeriods,
                datapointsToAlarm: datapoints,
                treatMissingData: missing, groupBy: groupBy)
        }

        mutating func readTests(_ node: Node) -> [RuleTest] {
            guard let sequence = node.sequence else {
                error(node, "`tests` must be a list")
                return []
            }
            var result: [RuleTest] = []
            for (index, item) in sequence.enumerated() {
                let path = "tests[\(index)]"
                guard let fields = entries(item, path: path, allowed: RuleFileReader.testKeys) else { continue }
                let name = string(fields["name"]?.value, path + ".name") ?? "test \(index + 1)"
                guard let alert = bool(fields["alert"]?.value, path + ".alert") else {
                    if fields["alert"] == nil { error(item, "`\(path).alert` is required: true or false") }
                    continue
                }
                guard let recordNode = fields["record"]?.value else {
                    error(item, "`\(path).record` is required: a CloudTrail record, as YAML or as a JSON string")
                    continue
                }
                var bytes: [UInt8]
                if let scalar = recordNode.scalar {
                    bytes = Array(scalar.string.utf8)
                    do {
                        _ = try JSONValue(parsing: bytes)
                    } catch {
                        self.error(recordNode, "`\(path).record` is not valid JSON: \(error)")
                        continue
                    }
                } else {
                    bytes = []
                    RuleFileReader.json(recordNode).write(to: &bytes)
                }
                result.append(RuleTest(name: name, expectAlert: alert, record: bytes, line: item.mark?.line ?? 0))
            }
            return result
        }
    }

    /// A YAML node as JSON: plain scalars that read as JSON numbers, booleans or null become
    /// those; quoted scalars and everything else are strings.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            return .object(mapping.map { JSONValue.Member($0.key.scalar?.string ?? "", json($0.value)) })
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            switch scalar.string {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null", "~", "": return .null
            default:
                if (try? JSONValue(parsing: scalar.string)).map({ if case .number = $0 { true } else { false } })
                    == true
                {
                    return .number(scalar.string)
                }
                return .string(scalar.string)
            }
        case .alias(let alias):
            return .string(alias.anchor.rawValue)
        }
    }

    /// The allowed key closest to `name` (edit distance at most 2), for "did you mean".
    package static func nearest(_ name: String, in allowed: [String]) -> String? {
        func distance(_ lhs: [Character], _ rhs: [Character]) -> Int {
            var previous = Array(0...rhs.count)
            for (i, left) in lhs.enumerated() {
                var current = [i + 1]
                for (j, right) in rhs.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1)))
                }
                previous = current
            }
            return previous[rhs.count]
        }
        let scored = allowed.map { ($0, distance(Array(name), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
