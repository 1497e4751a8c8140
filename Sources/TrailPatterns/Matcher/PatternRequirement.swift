package import TrailJSON

/// A condition every record a pattern matches must meet: the value at `selector` is one of
/// `values`. A rule set indexes rules by it so that most records touch one hash lookup.
///
/// A value "is" a literal when a string's decoded text or a number's JSON text equals it (the
/// reading of 4.10 rule 1). Derived from the AST: an exact `=` gives one value; an `||` whose
/// operands all constrain the same selector gives their union; an `&&` takes its most selective
/// operand. Anything else (wildcards, regexes, `!=`, numbers, raw-text patterns) gives none.
package struct PatternRequirement: Sendable, Hashable {
    package var selector: JSONPath
    package var values: Set<String>

    package init(selector: JSONPath, values: Set<String>) {
        self.selector = selector
        self.values = values
    }

    /// The requirement of `pattern`, if it has one.
    package init?(for pattern: FilterPattern) {
        guard case .json(let expression) = pattern.body, let requirement = PatternRequirement.of(expression) else {
            return nil
        }
        self = requirement
    }

    private static func of(_ expression: PatternExpression) -> PatternRequirement? {
        switch expression {
        case .predicate(let predicate):
            guard case .compare(.equal, .string(let literal)) = predicate.test, case .exact(let text) = literal.shape
            else {
                return nil
            }
            return PatternRequirement(selector: predicate.selector, values: [text])
        case .and(let operands):
            return operands.compactMap(of).min { $0.values.count < $1.values.count }
        case .or(let operands):
            var union: PatternRequirement?
            for operand in operands {
                guard let requirement = of(operand) else { return nil }
                if let current = union {
                    guard current.selector == requirement.selector else { return nil }
                    union?.values.formUnion(requirement.values)
                } else {
                    union = requirement
                }
            }
            return union
        }
    }
}
