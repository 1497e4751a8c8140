/// A problem found in a filter pattern: what it is, where it is, and how to fix it.
///
/// `range` is in UTF-8 bytes of the pattern text; `rendered(in:)` turns it into a column range
/// and draws the pattern with a caret under the problem, the way a compiler would.
package struct PatternDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// Every kind of diagnostic the parser produces; stable names for tests and tooling.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case patternTooLong
        case spaceDelimitedUnsupported
        case missingOpeningBrace
        case missingClosingBrace
        case trailingInput
        case emptyExpression
        case unbalancedParenthesis
        case expectedPredicate
        case expectedSelector
        case invalidSelector
        case arrayIndexFirst
        case tooManyWildcardsInSelector
        case tooManyWildcardSelectors
        case expectedOperator
        case lowercaseKeyword
        case unsupportedExists
        case unsupportedIsNot
        case unsupportedIn
        case unsupportedNegation
        case singleAmpersandOrBar
        case expectedValue
        case unterminatedString
        case invalidBareValue
        case bareValueWithSpaces
        case relationalNeedsNumber
        case unterminatedRegex
        case regexSyntax
        case tooManyRegexes
        case expectedConnective
        case invalidTerm
        // Warnings: the pattern is valid but probably does not mean what it says.
        case middleWildcard
        case booleanAsString
        case nullAsString
    }

    package var kind: Kind
    package var severity: Severity
    /// UTF-8 byte range of the problem in the pattern text (may be empty at the end of input).
    package var range: Range<Int>
    package var message: String
    package var hint: String?

    package init(_ kind: Kind, _ range: Range<Int>, _ message: String, hint: String? = nil, severity: Severity = .error)
    {
        self.kind = kind
        self.severity = severity
        self.range = range
        self.message = message
        self.hint = hint
    }

    package var description: String {
        "\(severity.rawValue): \(message)" + (hint.map { " (hint: \($0))" } ?? "")
    }

    /// The 1-based line, and the 1-based column range in characters within that line.
    package func location(in pattern: String) -> (line: Int, columns: ClosedRange<Int>) {
        PatternDiagnostic.location(of: range, in: pattern)
    }

    /// The diagnostic as an operator reads it:
    ///
    ///     error: `(` is never closed (column 3)
    ///       { ($.eventName = StopLogging }
    ///         ^
    ///       hint: add `)` before `}`
    package func rendered(in pattern: String) -> String {
        PatternDiagnostic.render(severity, message, hint: hint, at: range, in: pattern)
    }

    /// Where the UTF-8 byte `range` of `pattern` is: its 1-based line, and its 1-based column
    /// range in characters within that line. Shared with the lint's findings, which point into
    /// patterns the same way.
    package static func location(of range: Range<Int>, in pattern: String) -> (line: Int, columns: ClosedRange<Int>) {
        let bytes = Array(pattern.utf8)
        let start = min(range.lowerBound, bytes.count)
        let end = max(start, min(range.upperBound, bytes.count))
        var line = 1
        var lineStart = 0
        for index in 0..<start where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let firstColumn = PatternDiagnostic.characterCount(bytes[lineStart..<start]) + 1
        let width = max(1, PatternDiagnostic.characterCount(bytes[start..<end]))
        return (line, firstColumn...(firstColumn + width - 1))
    }

    /// `message` with its place, the pattern's line, a caret under `range`, and the hint.
    package static func render(
        _ severity: Severity, _ message: String, hint: String?, at range: Range<Int>, in pattern: String
    ) -> String {
        let (line, columns) = location(of: range, in: pattern)
        // Split on the byte, not the Character: "\r\n" is one Character in Swift.
        let lines = Array(pattern.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        let shown = lines.count >= line ? String(decoding: lines[line - 1], as: UTF8.self) : ""
        let place = lines.count > 1 ? "line \(line), column \(columns.lowerBound)" : "column \(columns.lowerBound)"
        let display = shown.map { $0 == "\t" || $0 == "\r" ? " " : $0 }
        var text = "\(severity.rawValue): \(message) (\(place))\n"
        text += "  " + String(display) + "\n"
        let caret = columns.count == 1 ? "^" : "^" + String(repeating: "~", count: columns.count - 1)
        text += "  " + String(repeating: " ", count: columns.lowerBound - 1) + caret
        if let hint { text += "\n  hint: " + hint }
        return text
    }

    private static func characterCount(_ bytes: ArraySlice<UInt8>) -> Int {
        String(decoding: bytes, as: UTF8.self).count
    }
}
