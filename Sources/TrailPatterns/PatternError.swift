/// A pattern that could not be parsed: the pattern text and the error that stopped the parser,
/// plus any warnings found before it.
package struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    package var pattern: String
    package var diagnostic: PatternDiagnostic
    package var warnings: [PatternDiagnostic]

    package init(pattern: String, diagnostic: PatternDiagnostic, warnings: [PatternDiagnostic] = []) {
        self.pattern = pattern
        self.diagnostic = diagnostic
        self.warnings = warnings
    }

    /// One-line form for logs: the message and the column.
    package var description: String {
        let (line, columns) = diagnostic.location(in: pattern)
        let place = line > 1 ? "line \(line), column \(columns.lowerBound)" : "column \(columns.lowerBound)"
        return "invalid filter pattern at \(place): \(diagnostic.message)" + (diagnostic.hint.map { "; \($0)" } ?? "")
    }

    /// The caret rendering of the error, for terminals.
    package var rendered: String { diagnostic.rendered(in: pattern) }
}
