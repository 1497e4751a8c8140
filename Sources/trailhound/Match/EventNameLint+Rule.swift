import TrailLint
import TrailRules

extension EventNameLint {
    /// The lint's findings in a rule's `pattern` and `suppress` patterns, as warnings at the
    /// file, line and column of each literal.
    func diagnostics(for rule: Rule) -> [RuleDiagnostic] {
        rule.writtenPatterns.flatMap { site, pattern in
            findings(in: pattern).map { finding in
                let (line, columns) = finding.location(in: site.text)
                return site.ruleDiagnostic(
                    .warning, file: rule.file, line: line, column: columns.lowerBound, message: finding.message,
                    excerpt: finding.rendered(in: site.text))
            }
        }
    }
}
