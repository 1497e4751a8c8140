import TrailEngine
import TrailJSON
import TrailPatterns
import TrailRules

/// What `trailhound explain` explains: one pattern, or one rule with its suppressions and alarm.
///
/// Each record is explained by the engine's explainer and also run through the engine itself
/// (`PatternMatcher` for a pattern, `RuleSet` for a rule, as `match` and `replay` run them): the
/// two must agree, and `explain` says so loudly if they ever do not.
final class ExplainSubject {
    enum Kind {
        case pattern(text: String)
        case rule(Rule)
    }

    let kind: Kind
    /// The engine's explainer for the pattern, or for the rule: exactly one of the two is set.
    private let patternExplainer: PatternExplainer?
    private let ruleExplainer: RuleExplainer?
    /// The engine as `match` runs a pattern (a single-pattern matcher) or `replay` runs a rule
    /// (a rule set): exactly one of the two is set.
    private let matcher: PatternMatcher?
    private let ruleSet: RuleSet?
    private var context: MatchContext
    private var alerting: [Int] = []
    /// For an alarm rule, the projection of its `group_by` selectors (as `FileEvaluator` groups).
    let groupProjection: JSONProjection?

    /// A pattern: explained as a rule with no suppressions and no alarm would be.
    init(pattern: FilterPattern, text: String) {
        kind = .pattern(text: text)
        patternExplainer = PatternExplainer(pattern)
        ruleExplainer = nil
        let matcher = PatternMatcher(pattern)
        self.matcher = matcher
        ruleSet = nil
        context = matcher.makeContext()
        groupProjection = nil
    }

    init(rule: Rule) {
        kind = .rule(rule)
        patternExplainer = nil
        ruleExplainer = RuleExplainer(rule)
        let set = RuleSet([rule], includeDisabled: true)
        matcher = nil
        ruleSet = set
        context = set.makeContext()
        groupProjection = rule.alarm.map { JSONProjection(paths: $0.groupBy) }
    }

    /// The pattern explained (the rule's, for a rule).
    var pattern: FilterPattern { patternExplainer?.pattern ?? ruleExplainer!.rule.pattern }

    var rule: Rule? {
        if case .rule(let rule) = kind { return rule }
        return nil
    }

    /// The explanation of `record`, and whether the engine reached the same verdict (a match for a
    /// pattern; an alert, or a count toward the alarm, for a rule).
    func explain(_ record: UnsafeRawBufferPointer) throws(JSONError) -> (RuleExplanation, agrees: Bool) {
        let explanation =
            if let patternExplainer {
                RuleExplanation(pattern: try patternExplainer.explain(record))
            } else {
                try ruleExplainer!.explain(record)
            }
        if let matcher {
            return (explanation, try matcher.matches(record, in: &context) == explanation.matched)
        }
        try ruleSet!.evaluate(record, in: &context, alerting: &alerting)
        return (explanation, !alerting.isEmpty == explanation.alerts)
    }
}
