package import TrailJSON
package import TrailPatterns

/// Every enabled rule, compiled together: one projection and one prefilter index for all their
/// patterns and suppressions, so a record that no rule can match costs one hash lookup.
package struct RuleSet: Sendable {
    package let rules: [Rule]
    let matcher: PatternMatcher
    /// `matcher.patterns[suppressions[i]]` are rule `i`'s suppressions; rule `i`'s pattern is
    /// `matcher.patterns[i]`.
    private let suppressions: [Range<Int>]

    /// Compiles the enabled rules among `rules` (all of them when `includeDisabled`).
    /// `limits` bound the records the projection accepts (depth, size).
    package init(_ rules: [Rule], includeDisabled: Bool = false, limits: JSONLimits = .default) {
        let selected = rules.filter { includeDisabled || $0.enabled }
        var patterns = selected.map(\.pattern)
        var suppressions: [Range<Int>] = []
        for rule in selected {
            suppressions.append(patterns.count..<(patterns.count + rule.suppress.count))
            patterns += rule.suppress
        }
        self.rules = selected
        self.suppressions = suppressions
        // Alarm rules read their `group_by` fields and the event's id of every match: projected
        // with the rest, they cost no second pass over a matching record (and nothing when the
        // set has no alarm rule).
        var extraPaths = [RuleSet.eventTimeSelector]
        if selected.contains(where: { $0.alarm != nil }) { extraPaths.append(RuleSet.eventIDSelector) }
        for path in selected.flatMap({ $0.alarm?.groupBy ?? [] }) where !extraPaths.contains(path) {
            extraPaths.append(path)
        }
        matcher = PatternMatcher(patterns, extraPaths: extraPaths, limits: limits)
    }

    private static let eventTimeSelector = JSONPath([.key("eventTime")])
    private static let eventIDSelector = JSONPath([.key("eventID")])

    /// The projected path of `eventTime`, which every record has projected whether or not a
    /// rule tests it: `context.fields.firstIndex(of: RuleSet.eventTimePath)`.
    package static let eventTimePath = 0
    /// The projected path of `eventID`, which every record has projected too when the set has
    /// an alarm rule (it is what their matches count once).
    package static let eventIDPath = 1

    /// Where `path` is in every record's projected fields, if the rule set projects it (every
    /// alarm rule's `group_by` selectors are).
    package func projectedPath(_ path: JSONPath) -> Int? {
        matcher.projection.paths.firstIndex(of: path)
    }

    /// The selectors the rule set reads, for readers that project records themselves.
    package var projection: JSONProjection { matcher.projection }

    package func makeContext() -> MatchContext { matcher.makeContext() }

    /// Projects the record at the start of `buffer` into `context` and returns its length: the
    /// `RecordProjector` a reader uses to frame and project in one pass.
    package func projectPrefix(_ buffer: UnsafeRawBufferPointer, in context: inout MatchContext) throws(JSONError)
        -> Int
    {
        try matcher.projection.projectPrefix(buffer, into: &context.fields)
    }

    /// As `evaluate`, for a record whose fields `projectPrefix` has just put in `context`.
    package func evaluateProjected(
        _ record: UnsafeRawBufferPointer, in context: inout MatchContext, alerting: inout [Int]
    ) {
        alerting.removeAll(keepingCapacity: true)
        guard matcher.evaluateProjected(record, in: &context) > 0 else { return }
        collect(&context, &alerting)
    }

    private func collect(_ context: inout MatchContext, _ alerting: inout [Int]) {
        for index in rules.indices where context.results[index] {
            if !suppressions[index].contains(where: { context.results[$0] }) { alerting.append(index) }
        }
    }

    /// Evaluates `record` and puts the indices (into `rules`) of the rules that alert on it,
    /// matched and not suppressed, into `alerting`, in rule order.
    package func evaluate(
        _ record: UnsafeRawBufferPointer, in context: inout MatchContext, alerting: inout [Int]
    ) throws(JSONError) {
        alerting.removeAll(keepingCapacity: true)
        guard try matcher.evaluate(record, in: &context) > 0 else { return }
        collect(&context, &alerting)
    }
}
