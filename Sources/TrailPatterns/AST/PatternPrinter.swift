import TrailJSON

/// Renders a pattern back to canonical text.
///
/// The canonical form makes grouping visible: every predicate of a compound expression is
/// parenthesised, and so is every `&&` group inside an `||`, so `A || B && C` prints as
/// `{ (A) || ((B) && (C)) }`. Strings are always quoted, numbers keep their spelling, and
/// `parse(print(p)) == p` for every pattern whose canonical text is within the 1024-character
/// limit (the added parentheses and quotes can take a pattern near the limit past it).
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
        terms.terms.enumerated().map { index, term in
            let prefix =
                switch term.role {
                case .required: ""
                case .excluded: "-"
                case .optional: "?"
                }
            return prefix
                + (needsQuotes(term, first: index == 0) ? "\"" + term.text.escapedForQuotes() + "\"" : term.text)
        }.joined(separator: " ")
    }

    /// Whether a term must be quoted to read back as the same term: when it is empty, holds
    /// blanks or quotes, starts like a role prefix, or (as the first term) starts like another
    /// kind of pattern.
    private static func needsQuotes(_ term: TermPattern.Term, first: Bool) -> Bool {
        guard let lead = term.text.utf8.first else { return true }
        if lead == UInt8(ascii: "-") || lead == UInt8(ascii: "?") { return true }
        if first && term.role == .required
            && [UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "%"), UInt8(ascii: "}")].contains(lead)
        {
            return true
        }
        return term.text.utf8.contains { PatternParser.isWhitespace($0) || $0 == UInt8(ascii: "\"") }
    }
}
