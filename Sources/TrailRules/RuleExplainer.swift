package import TrailJSON
import TrailPatterns

/// Explains a rule on records: its pattern, each of its `suppress` patterns, and whether it
/// alerts, with the semantics of `RuleSet` (a match that any suppression also matches does not
/// alert). Pure, like the `PatternExplainer`s it holds; not `Sendable`, for the same reason.
package struct RuleExplainer {
    package let rule: Rule
    private let pattern: PatternExplainer
    private let suppressions: [PatternExplainer]

    package init(_ rule: Rule, limits: JSONLimits = .default) {
        self.rule = rule
        pattern = PatternExplainer(rule.pattern, limits: limits)
        suppressions = rule.suppress.map { PatternExplainer($0, limits: limits) }
    }

    /// Explains the rule on `record`; throws when the record is not valid JSON, as `RuleSet` does.
    package func explain(_ record: UnsafeRawBufferPointer) throws(JSONError) -> RuleExplanation {
        var suppressed: [PatternExplanation] = []
        for suppression in suppressions { suppressed.append(try suppression.explain(record)) }
        return RuleExplanation(pattern: try pattern.explain(record), suppressions: suppressed)
    }
}
