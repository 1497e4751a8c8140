import TrailJSON
import TrailRules

/// `trailhound rules` as a table for people or JSON lines for tools: one row per rule, in the
/// order the rules were loaded (path order).
enum RuleListing {
    static let headings = ["ID", "SEVERITY", "ENABLED", "ATT&CK", "STRATUS", "ALARM"]

    /// The cells of one rule's row; `-` for an empty one.
    static func cells(_ rule: Rule) -> [String] {
        func list(_ items: [String]) -> String { items.isEmpty ? "-" : items.joined(separator: ",") }
        return [
            rule.id, rule.severity.rawValue, rule.enabled ? "yes" : "no", list(rule.references.mitre),
            list(rule.references.stratus), rule.alarm?.summary ?? "-",
        ].map(DisplayText.plain)
    }

    /// The rows under a heading, each column as wide as its widest cell (the last one unpadded).
    static func table(_ rules: [Rule]) -> String {
        let rows = [headings] + rules.map(cells)
        var widths = Array(repeating: 0, count: headings.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// One JSON object per rule: its id, title, severity, enabled, references and alarm.
    static func jsonLines(_ rules: [Rule]) -> String {
        rules.map { rule in
            let references = rule.references
            let members: [JSONValue.Member] = [
                .init("id", .string(rule.id)), .init("title", .string(rule.title)),
                .init("severity", .string(rule.severity.rawValue)), .init("enabled", .bool(rule.enabled)),
                .init("mitre", .array(references.mitre.map(JSONValue.string))),
                .init("stratus", .array(references.stratus.map(JSONValue.string))),
                .init("cis", .array(references.cis.map(JSONValue.string))),
                .init("securityhub", .array(references.securityHub.map(JSONValue.string))),
                .init("alarm", rule.alarm.map { .string($0.summary) } ?? .null),
                .init("file", .string(rule.file)),
            ]
            return JSONValue.object(members).compactText + "\n"
        }.joined()
    }
}
