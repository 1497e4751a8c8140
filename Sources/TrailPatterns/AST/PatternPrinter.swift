import TrailJSON

/// Renders a pattern back to canonical text.
///
/// The canonical form makes grouping visible: every predicate of a compound expression is
/// parenthesised, and so is every `&&` group inside an `||`, so `A || B && C` prints as
/// `{ (A) || ((B) && (C)) }`. Strings are always quoted, numbers keep their spelling, and
/// `parse(print(p)) == p` for every pattern.
package enum PatternPrinter {
    package static func print(_ pattern: FilterPattern) -> String {
        switch pattern.body {
        case .matchAll: ""
        case .json(let expression): "{ " + print(expression, nested: false) + " }"
        case .terms(let terms): print(terms)
        case .regex(let regex): "%" + regex.source + "%"
        }
    }

    package static func print(_ expression: PatternExpression, nested: Bool = true) -> String {
        switch expression {
        case .predicate(let predicate):
            return nested ? "(" + print(predicate) + ")" : print(predicate)
        case .and(let operands):
            let text = operands.map { print($0) }.joined(separator: " && ")
            return nested ? "(" + text + ")" : text
        case .or(let operands):
            let text = operands.map { print($0) }.joined(separator: " || ")
            return nested ? "(" + text + ")" : text
        }
    }

    package static func print(_ predicate: Predicate) -> String {
        let selector = predicate.selector.description
        switch predicate.test {
        case .compare(let comparison, let value): return "\(selector) \(comparison.rawValue) \(print(value))"
        case .isTrue: return "\(selector) IS TRUE"
        case .isFalse: return "\(selector) IS FALSE"
        case .isNull: return "\(selector) IS NULL"
        case .notExists: return "\(selector) NOT EXISTS"
        }
    }

    package static func print(_ value: PatternValue) -> String {
        switch value {
        case .string(let literal): "\"" + literal.text.escapedForQuotes() + "\""
        case .number(let number): number.text
        case .regex(let regex): "%" + regex.source + "%"
        }
    }

    private static func print(_ terms: TermPattern) -> String {
        terms.terms.map { term in
            let prefix =
                switch term.role {
                case .required: ""
                case .excluded: "-"
                case .optional: "?"
                }
            let plain =
                !term.text.isEmpty
                && term.text.utf8.allSatisfy { byte in
                    !PatternParser.isWhitespace(byte) && byte != UInt8(ascii: "\"")
                } && !term.text.hasPrefix("-") && !term.text.hasPrefix("?")
            return prefix + (plain ? term.text : "\"" + term.text.escapedForQuotes() + "\"")
        }.joined(separator: " ")
    }
}
