package import TrailJSON

/// Evaluates one pattern on records the way `PatternMatcher` does, keeping every step: the values
/// each selector found, each clause's truth, each `&&`/`||` node's result.
///
/// The two must never disagree, so the explainer shares what decides a match with the matcher:
/// records are projected by a `JSONProjection` (the same candidates, duplicate keys and depth
/// limits included), values are decoded the same way, and every comparison goes through
/// `PatternSemantics`, where the decisions of filter-patterns.md 4.10 live. What it does not share
/// is the compiled program (flat arrays, set tests for `||`-chains, the prefilter): those are
/// optimisations, and `ExplainerAgreementTests` checks that they change no answer.
///
/// Not `Sendable` (it owns regex matchers with their lazily built DFAs): use one per thread.
package struct PatternExplainer {
    package let pattern: FilterPattern
    private let projection: JSONProjection
    private let pathIndex: [JSONPath: Int]
    private let regexMatchers: [String: RegexMatcher]

    package init(_ pattern: FilterPattern, limits: JSONLimits = .default) {
        self.pattern = pattern
        var paths: [JSONPath] = []
        var pathIndex: [JSONPath: Int] = [:]
        var regexMatchers: [String: RegexMatcher] = [:]
        switch pattern.body {
        case .json(let expression):
            for predicate in expression.predicates {
                if pathIndex[predicate.selector] == nil {
                    pathIndex[predicate.selector] = paths.count
                    paths.append(predicate.selector)
                }
                if case .compare(_, .regex(let regex)) = predicate.test {
                    regexMatchers[regex.source] = regex.makeMatcher()
                }
            }
        case .regex(let regex):
            regexMatchers[regex.source] = regex.makeMatcher()
        case .matchAll, .terms:
            break
        }
        self.projection = JSONProjection(paths: paths, limits: limits)
        self.pathIndex = pathIndex
        self.regexMatchers = regexMatchers
    }

    /// Explains the pattern on `record`. Throws, as the matcher does, when the record is not valid
    /// JSON (or breaks the limits): no pattern of any kind is evaluated on such a record.
    package func explain(_ record: UnsafeRawBufferPointer) throws(JSONError) -> PatternExplanation {
        var fields = projection.makeFields()
        try projection.project(record, into: &fields)
        switch pattern.body {
        case .matchAll:
            return PatternExplanation(.matchAll, matched: true)
        case .json(let expression):
            // A JSON pattern only ever matches an object record (4.1).
            guard case .object? = fields.rootKind else {
                return PatternExplanation(.notAnObject(fields.rootKind ?? .null), matched: false)
            }
            let node = explain(expression, fields, record)
            return PatternExplanation(.json(node), matched: node.result)
        case .terms(let terms):
            return explain(terms, text: compactText(record))
        case .regex(let regex):
            let text = compactText(record)
            let found = text.withUnsafeBytes { regexMatchers[regex.source]!.matches($0) }
            return PatternExplanation(.regex(source: regex.source, found: found), matched: found)
        }
    }

    /// The record as CloudWatch Logs sees it: one compact line (what terms and regexes search).
    private func compactText(_ record: UnsafeRawBufferPointer) -> [UInt8] {
        var text: [UInt8] = []
        JSONCompactor.compact(record, into: &text)
        return text
    }

    // MARK: Terms

    private func explain(_ terms: TermPattern, text: [UInt8]) -> PatternExplanation {
        let hasOthers = terms.terms.contains { $0.role != .optional }
        var explained: [PatternExplanation.Term] = []
        for term in terms.terms {
            let literal = Array(term.text.utf8)
            let failure = ByteSearch.failureTable(literal)
            let found = text.withUnsafeBytes { haystack in
                literal.withUnsafeBytes { needle in
                    failure.withUnsafeBufferPointer { ByteSearch.contains(haystack, needle, failure: $0) }
                }
            }
            explained.append(.init(term: term, found: found, counts: term.role != .optional || !hasOthers))
        }
        // As the matcher: every plain term found, no `-` term found, and one of the counting `?`
        // terms found when there are any.
        let counting = explained.filter(\.counts)
        let optional = counting.filter { $0.term.role == .optional }
        let matched =
            counting.allSatisfy { $0.term.role == .optional || $0.satisfied }
            && (optional.isEmpty || optional.contains(where: \.found))
        return PatternExplanation(.terms(explained), matched: matched)
    }

    // MARK: JSON

    private func explain(
        _ expression: PatternExpression, _ fields: ProjectedFields, _ record: UnsafeRawBufferPointer
    ) -> PatternExplanation.Node {
        switch expression {
        case .predicate(let predicate):
            return .clause(explain(predicate, fields, record))
        case .and(let operands):
            let nodes = operands.map { explain($0, fields, record) }
            return .and(nodes, result: nodes.allSatisfy(\.result))
        case .or(let operands):
            let nodes = operands.map { explain($0, fields, record) }
            return .or(nodes, result: nodes.contains(where: \.result))
        }
    }

    private func explain(
        _ predicate: Predicate, _ fields: ProjectedFields, _ record: UnsafeRawBufferPointer
    ) -> PatternExplanation.Clause {
        let candidates = fields.candidates(pathIndex[predicate.selector]!)
        let values = candidates.map { Self.foundValue($0, record) }
        var clause = PatternExplanation.Clause(
            predicate: predicate, values: values, satisfiedBy: nil, result: false, note: nil)
        switch predicate.test {
        case .notExists:
            clause.result = values.isEmpty
            return clause
        case .isTrue:
            clause.satisfiedBy = values.firstIndex { $0.kind == .true }
        case .isFalse:
            clause.satisfiedBy = values.firstIndex { $0.kind == .false }
        case .isNull:
            clause.satisfiedBy = values.firstIndex { $0.kind == .null }
        case .compare(let comparison, let literal):
            // Existential over the candidates; only strings and numbers ever compare (4.3).
            clause.satisfiedBy = values.firstIndex { value in
                PatternSemantics.isComparable(value.kind) && compare(comparison, literal, value)
            }
        }
        clause.result = clause.satisfiedBy != nil
        if !clause.result { clause.note = Self.note(predicate.test, values) }
        return clause
    }

    /// `literal OP value` for one string or number value, as `PatternMatcher.compare` and the
    /// `!=` negation around it compute it.
    private func compare(
        _ comparison: ComparisonOperator, _ literal: PatternValue, _ value: PatternExplanation.FoundValue
    ) -> Bool {
        let holds: Bool
        switch literal {
        case .string(let string):
            holds = Self.matchesText(string.shape, value.bytes)
        case .number(let number):
            // `=` and `!=` share one equality test; relational operators keep their own.
            let operation = comparison.isRelational ? comparison : .equal
            switch PatternSemantics.numberComparison(value.kind, operation) {
            case .numeric:
                let parsed = value.bytes.withUnsafeBytes { PatternSemantics.double($0) }
                holds = parsed.map { PatternSemantics.compareNumbers($0, operation, number.value) } ?? false
            case .never:
                holds = false
            case .text:
                holds = Self.matchesText(.exact(number.text), value.bytes)
            }
        case .regex(let regex):
            holds = value.bytes.withUnsafeBytes { regexMatchers[regex.source]!.matches($0) }
        }
        return holds != (comparison == .notEqual)
    }

    /// A string literal's shape against a value's text, through `PatternSemantics.matchesText`.
    private static func matchesText(_ shape: StringLiteral.Shape, _ value: [UInt8]) -> Bool {
        let (kind, body): (TextShape, String)
        switch shape {
        case .any: return true
        case .exact(let text): (kind, body) = (.exact, text)
        case .prefix(let text): (kind, body) = (.prefix, text)
        case .suffix(let text): (kind, body) = (.suffix, text)
        case .contains(let text): (kind, body) = (.contains, text)
        }
        let literal = Array(body.utf8)
        let failure = ByteSearch.failureTable(literal)
        return value.withUnsafeBytes { value in
            literal.withUnsafeBytes { literal in
                failure.withUnsafeBufferPointer {
                    PatternSemantics.matchesText(kind, literal: literal, failure: $0, value: value)
                }
            }
        }
    }

    /// A projected value as the explanation keeps it: strings decoded, as the matcher compares them.
    private static func foundValue(
        _ value: ProjectedValue, _ record: UnsafeRawBufferPointer
    ) -> PatternExplanation.FoundValue {
        let raw = UnsafeRawBufferPointer(rebasing: record[value.range])
        switch value.kind {
        case .string where value.hasEscapes:
            var decoded: [UInt8] = []
            JSONString.decode(raw, into: &decoded)
            return .init(kind: .string, bytes: decoded)
        case .object, .array:
            return .init(
                kind: value.kind, bytes: Array(raw.prefix(PatternExplanation.FoundValue.containerPrefix)),
                byteCount: raw.count)
        default:
            return .init(kind: value.kind, bytes: Array(raw))
        }
    }

    /// Why a false clause is false, when its values alone would not say.
    private static func note(
        _ test: PredicateTest, _ values: [PatternExplanation.FoundValue]
    ) -> PatternExplanation.Note? {
        if values.isEmpty {
            if case .compare(.notEqual, _) = test { return .notEqualOnMissing }
            return .missing
        }
        switch test {
        case .compare(let comparison, _):
            if let kind = values.first?.kind, !values.contains(where: { PatternSemantics.isComparable($0.kind) }) {
                return .notComparable(kind)
            }
            if comparison.isRelational,
                values.allSatisfy({ $0.kind == .string || !PatternSemantics.isComparable($0.kind) })
            {
                return .relationalOnString
            }
            return nil
        case .isTrue, .isFalse, .isNull:
            return values.contains { $0.kind == .string } ? .literalIsString : nil
        case .notExists:
            return nil
        }
    }
}
