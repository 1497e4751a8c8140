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
    /// The values, as UTF-8 bytes: matching compares bytes, so `é` precomposed and decomposed are
    /// two values.
    package var values: Set<[UInt8]>

    package init(selector: JSONPath, values: Set<[UInt8]>) {
        self.selector = selector
        self.values = values
    }

    package init(selector: JSONPath, values: some Sequence<String>) {
        self.init(selector: selector, values: Set(values.map { Array($0.utf8) }))
    }

    /// The requirement of `pattern`, if it has one: the most selective of the conditions it implies.
    package init?(for pattern: FilterPattern) {
        guard case .json(let expression) = pattern.body else { return nil }
        let best = PatternRequirement.implied(by: expression).min { lhs, rhs in
            (lhs.value.count, lhs.key.description) < (rhs.value.count, rhs.key.description)
        }
        guard let best else { return nil }
        self.init(selector: best.key, values: best.value)
    }

    /// Every condition "the value at this selector is one of these" that `expression` implies.
    ///
    /// `&&` implies what any operand implies (the smaller set when two constrain the same
    /// selector); `||` implies, for a selector every operand constrains, the union of their sets.
    /// So `(source = ec2 && name = A) || name = B` still yields `name ∈ {A, B}`.
    private static func implied(by expression: PatternExpression) -> [JSONPath: Set<[UInt8]>] {
        switch expression {
        case .predicate(let predicate):
            guard case .compare(.equal, .string(let literal)) = predicate.test, case .exact(let text) = literal.shape
            else {
                return [:]
            }
            return [predicate.selector: [Array(text.utf8)]]
        case .and(let operands):
            var result: [JSONPath: Set<[UInt8]>] = [:]
            for operand in operands {
                result.merge(implied(by: operand)) { $0.count <= $1.count ? $0 : $1 }
            }
            return result
        case .or(let operands):
            var result = implied(by: operands[0])
            for operand in operands.dropFirst() where !result.isEmpty {
                let next = implied(by: operand)
                result = result.filter { next[$0.key] != nil }.merging(next.filter { result[$0.key] != nil }) {
                    $0.union($1)
                }
            }
            return result
        }
    }
}
