/// A parsed filter pattern: which of the language's kinds it is, and its syntax tree.
///
/// Patterns compare by `body` only; warnings are advice about the text, not part of its meaning,
/// so `parse(print(parse(x)))` equals `parse(x)` whenever the printed text is within the
/// 1024-character limit (the canonical form's parentheses and quotes can take a pattern near
/// the limit past it, and then it is refused for its length).
package struct FilterPattern: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of pattern CloudWatch Logs dispatches on by the first non-blank character.
    package enum Body: Sendable, Hashable {
        /// The empty pattern (or only blanks): matches every event.
        case matchAll
        /// `{ … }`: predicates over the record's JSON fields.
        case json(PatternExpression)
        /// Words and phrases that must (or must not) occur in the record's text.
        case terms(TermPattern)
        /// `%regex%` searched in the record's text.
        case regex(FilterRegex)
    }

    package var body: Body
    /// Valid-but-suspicious constructs found while parsing (middle `*`, `= true`, …).
    package var warnings: [PatternDiagnostic]

    package init(_ body: Body, warnings: [PatternDiagnostic] = []) {
        self.body = body
        self.warnings = warnings
    }

    /// Parses pattern text; throws the first error with any warnings found before it.
    package static func parse(_ text: String) throws(PatternError) -> FilterPattern {
        var parser = PatternParser(text)
        do throws(PatternDiagnostic) {
            let body = try parser.parsePattern()
            return FilterPattern(body, warnings: parser.warnings)
        } catch {
            throw PatternError(pattern: text, diagnostic: error, warnings: parser.warnings)
        }
    }

    package static func == (lhs: FilterPattern, rhs: FilterPattern) -> Bool { lhs.body == rhs.body }
    package func hash(into hasher: inout Hasher) { hasher.combine(body) }

    /// The canonical text of the pattern (see `PatternPrinter`).
    package var description: String { PatternPrinter.print(self) }

    /// Whether the pattern reads the record's JSON fields (as opposed to its raw text).
    package var isJSON: Bool {
        if case .json = body { return true }
        return false
    }
}
