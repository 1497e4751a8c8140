package import TrailPatterns
import Yams

/// Where a filter pattern is written in a rule file, so that a problem found in the pattern's
/// text (a parse error, a warning, `trailhound check`'s event-name lint) is reported at its line
/// and column in the file.
///
/// A pattern is a YAML scalar. Plain and quoted scalars start on the key's line (quoted ones one
/// column after the quote); block scalars (`|`, `>`) start on the line after the indicator, and
/// there only the line is known.
package struct PatternSite: Sendable, Hashable {
    /// How the scalar is written, which decides where its text starts.
    package enum Style: Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case block
    }

    /// The key the pattern is written under, as messages name it: `pattern`, `suppress[0]`.
    package var key: String
    /// The pattern text, as YAML decoded it.
    package var text: String
    /// The scalar's position in the file (1-based; 0 when unknown).
    package var line: Int
    package var column: Int
    package var style: Style

    package init(key: String, text: String, line: Int, column: Int, style: Style) {
        self.key = key
        self.text = text
        self.line = line
        self.column = column
        self.style = style
    }

    init(key: String, text: String, node: Node) {
        let style: Style =
            switch node.scalar?.style {
            case .singleQuoted: .singleQuoted
            case .doubleQuoted: .doubleQuoted
            case .literal, .folded: .block
            case .plain, .any, nil: .plain
            }
        self.init(key: key, text: text, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, style: style)
    }

    /// The file position of a 1-based line and column inside the pattern text.
    package func position(line patternLine: Int, column patternColumn: Int) -> (line: Int, column: Int) {
        switch style {
        case .plain where patternLine == 1: (line, column + patternColumn - 1)
        case .singleQuoted where patternLine == 1, .doubleQuoted where patternLine == 1: (line, column + patternColumn)
        default: (line + patternLine, column)
        }
    }

    /// `diagnostic`, found in this pattern's text, as a rule-file diagnostic at its file position.
    package func ruleDiagnostic(
        _ diagnostic: PatternDiagnostic, file: String, severity: RuleDiagnostic.Severity
    ) -> RuleDiagnostic {
        let (line, columns) = diagnostic.location(in: text)
        return ruleDiagnostic(
            severity, file: file, line: line, column: columns.lowerBound,
            message: diagnostic.message + (diagnostic.hint.map { " (hint: \($0))" } ?? ""),
            excerpt: diagnostic.rendered(in: text))
    }

    /// A problem at a 1-based line and column of this pattern's text, as a rule-file diagnostic
    /// at its file position: the message names the key, and `excerpt` (the pattern with a caret
    /// under the problem) follows on the next lines.
    package func ruleDiagnostic(
        _ severity: RuleDiagnostic.Severity, file: String, line: Int, column: Int, message: String, excerpt: String
    ) -> RuleDiagnostic {
        let position = position(line: line, column: column)
        return RuleDiagnostic(
            severity, file: file, line: position.line, column: position.column, "`\(key)`: \(message)\n" + excerpt)
    }
}
