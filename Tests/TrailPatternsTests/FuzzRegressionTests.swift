import Testing

@testable import TrailPatterns

/// Behaviour the fuzz targets (Fuzz/Patterns, Fuzz/Regex) found or rely on, each named after
/// what it guards.
struct FuzzRegressionTests {
    /// The round trip `parse(print(p)) == p` holds only within the 1024-character limit: the
    /// canonical form parenthesises every predicate, so a pattern near the limit prints longer
    /// than the limit, and the parser must then refuse it for its length and nothing else.
    @Test("a pattern whose canonical form outgrows the length limit is refused only for its length")
    func canonicalFormPastTheLengthLimitIsRefusedOnlyForLength() throws {
        let text = "{ " + (0..<90).map { "$.a = \($0 % 10)" }.joined(separator: " || ") + " }"
        #expect(text.unicodeScalars.count <= 1024)
        let pattern = try FilterPattern.parse(text)
        let canonical = pattern.description
        #expect(canonical.unicodeScalars.count > 1024)
        #expect {
            try FilterPattern.parse(canonical)
        } throws: { error in
            (error as? PatternError)?.diagnostic.kind == .patternTooLong
        }
    }

    /// Escaping went by `Character`, and a quote or backslash followed by a combining mark is one
    /// `Character`, so it was printed unescaped and the canonical form ended the string early.
    @Test(
        "a quote or backslash followed by a combining mark is escaped when printed",
        arguments: [
            "{ $.a = \"say \\\"hi\\\"\u{8E3}en\" }",
            "{ $.a = \"x\\\\\u{301}y\" }",
            "{ $.a = \"\\\"\u{301}\" }",
            "\"a \\\"\u{301}\" b",
        ])
    func quoteOrBackslashBeforeCombiningMarkIsEscapedWhenPrinted(_ text: String) throws {
        let pattern = try FilterPattern.parse(text)
        let reparsed = try FilterPattern.parse(pattern.description)
        #expect(reparsed == pattern, "\(pattern.description)")
        #expect(reparsed.description == pattern.description)
    }
}
