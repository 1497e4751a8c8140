package import TrailPatterns

/// What a rule made of one record: the pattern's explanation and each suppression's.
package struct RuleExplanation: Sendable, Hashable {
    package var pattern: PatternExplanation
    /// One per `rule.suppress` entry, in order, evaluated whether or not the pattern matched.
    package var suppressions: [PatternExplanation]

    package init(pattern: PatternExplanation, suppressions: [PatternExplanation] = []) {
        self.pattern = pattern
        self.suppressions = suppressions
    }

    package var matched: Bool { pattern.matched }
    /// The first suppression that catches the match; nil when there is no match or none does.
    package var suppressedBy: Int? { matched ? suppressions.firstIndex(where: \.matched) : nil }
    /// Whether the rule alerts on the record (or, for an alarm rule, whether it counts).
    package var alerts: Bool { matched && suppressedBy == nil }
}
