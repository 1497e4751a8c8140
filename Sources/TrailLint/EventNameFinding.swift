import TrailPatterns

/// A literal compared with `$.eventName` or `$.eventSource` that no CloudTrail event has, with
/// the nearest real one; a warning, since AWS adds events faster than any catalogue.
package struct EventNameFinding: Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable {
        case unknownEventName
        case unknownEventSource
    }

    package var kind: Kind
    /// The literal as the pattern means it (quotes and escapes decoded), wildcards included.
    package var literal: String
    /// UTF-8 byte range of the literal in the pattern text, quotes included; nil for a pattern
    /// built in code, and then the finding points at the whole pattern.
    package var range: Range<Int>?
    /// The eventSources a name was looked up under, because the pattern pins them; empty when it
    /// was looked up under every source, and for a source.
    package var sources: [String]
    /// Sources outside `sources` that do have the name (`CreateUser` pinned to S3: IAM has it).
    package var elsewhere: [String]
    /// The nearest real name or source, or the wildcard with its case corrected.
    package var suggestion: String?

    package init(
        _ kind: Kind, literal: String, range: Range<Int>?, sources: [String] = [], elsewhere: [String] = [],
        suggestion: String? = nil
    ) {
        self.kind = kind
        self.literal = literal
        self.range = range
        self.sources = sources
        self.elsewhere = elsewhere
        self.suggestion = suggestion
    }

    /// One sentence: what is unknown, under which sources, and what to write instead.
    package var message: String {
        let wildcard = literal.hasPrefix("*") || literal.hasSuffix("*")
        var text: String
        switch kind {
        case .unknownEventSource:
            text =
                wildcard
                ? "no CloudTrail event source matches \"\(literal)\""
                : "no CloudTrail event source is named \"\(literal)\""
        case .unknownEventName:
            let scope = sources.isEmpty ? "" : " of " + EventNameFinding.list(sources)
            text =
                wildcard
                ? "no CloudTrail event name\(scope) matches \"\(literal)\""
                : "no CloudTrail event\(scope) is named \"\(literal)\""
            if !elsewhere.isEmpty {
                text += " (\(EventNameFinding.list(elsewhere)) \(elsewhere.count == 1 ? "has" : "have") one)"
            }
        }
        if let suggestion {
            text += "; did you mean \"\(suggestion)\"?"
            if suggestion.foldedASCII == literal.foldedASCII { text += " (names are case-sensitive)" }
        }
        return text
    }

    package var description: String { "warning: " + message }

    /// The 1-based line, and the 1-based column range in characters within that line, of the
    /// literal in `pattern` (the whole first line when the range is unknown).
    package func location(in pattern: String) -> (line: Int, columns: ClosedRange<Int>) {
        PatternDiagnostic.location(of: place(in: pattern), in: pattern)
    }

    /// The finding as an operator reads it, like a pattern diagnostic: the message with the
    /// column, then the pattern's line with a caret under the literal.
    package func rendered(in pattern: String) -> String {
        PatternDiagnostic.render(.warning, message, hint: nil, at: place(in: pattern), in: pattern)
    }

    /// The literal's bytes, or the pattern's first line when the pattern was built in code.
    private func place(in pattern: String) -> Range<Int> {
        range ?? 0..<(Array(pattern.utf8).firstIndex(of: 0x0A) ?? pattern.utf8.count)
    }

    /// `a`, `a or b`, `a, b or c`, and past three `a, b, c or 2 more`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        if items.count > 3 { return items.prefix(3).joined(separator: ", ") + " or \(items.count - 3) more" }
        return items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }
}
