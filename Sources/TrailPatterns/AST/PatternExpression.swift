package import TrailJSON

/// The expression inside `{ … }`: predicates joined by `&&` and `||`.
///
/// The parser flattens chains of the same operator, so `(A || B) || C` and `A || (B || C)` are both
/// `.or([A, B, C])`; parentheses themselves are not kept, because they only ever change grouping.
package indirect enum PatternExpression: Sendable, Hashable {
    case predicate(Predicate)
    /// Two or more operands, all of which must hold.
    case and([PatternExpression])
    /// Two or more operands, at least one of which must hold.
    case or([PatternExpression])

    /// Every predicate in the expression, left to right.
    package var predicates: [Predicate] {
        switch self {
        case .predicate(let predicate): [predicate]
        case .and(let operands), .or(let operands): operands.flatMap(\.predicates)
        }
    }
}

/// One test of one selector: `$.eventName = StopLogging`, `$.readOnly IS FALSE`, ….
package struct Predicate: Sendable, Hashable {
    package var selector: JSONPath
    package var test: PredicateTest

    package init(_ selector: JSONPath, _ test: PredicateTest) {
        self.selector = selector
        self.test = test
    }
}

/// What a predicate asks of the values its selector lands on.
package enum PredicateTest: Sendable, Hashable {
    case compare(ComparisonOperator, PatternValue)
    case isTrue
    case isFalse
    case isNull
    case notExists
}

/// The comparison operators of section 3.3.
package enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="

    /// Whether the operator orders numbers (only number literals are allowed after it).
    package var isRelational: Bool { self != .equal && self != .notEqual }
}
