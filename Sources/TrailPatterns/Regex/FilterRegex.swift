/// A compiled CloudWatch Logs filter-pattern regex (the `%...%` value syntax).
///
/// Parsing validates the restricted regex language and compiles it to a Thompson NFA; matching runs a lazily
/// built DFA owned by a `RegexMatcher`, so matching is linear in the input for every pattern. Values are
/// immutable and `Sendable`; two regexes are equal when their sources are equal.
package struct FilterRegex: Sendable, Equatable {
    /// The regex body as written, without the surrounding `%` delimiters.
    package let source: String
    let program: RegexProgram

    /// Parses and compiles `body`, the UTF-8 bytes of the text between the `%` delimiters.
    ///
    /// Throws the leftmost problem found, with its byte offset and length within `body`.
    package init(body: some Collection<UInt8>) throws(RegexSyntaxError) {
        let bytes = Array(body)
        let tree = try RegexParser.parse(bytes)
        program = try RegexCompiler.compile(tree)
        source = String(decoding: bytes, as: UTF8.self)
    }

    /// Parses and compiles the regex body `body` (without `%` delimiters).
    ///
    /// Convenience for tests and literals; equivalent to `init(body: body.utf8)`.
    package init(_ body: String) throws(RegexSyntaxError) {
        try self.init(body: body.utf8)
    }

    /// Creates a matcher that owns a lazily built DFA cache.
    ///
    /// Matchers are not `Sendable`: use one per thread or evaluation context and reuse it across inputs so the
    /// cache stays warm.
    package func makeMatcher() -> RegexMatcher {
        RegexMatcher(program: program)
    }

    /// Whether the regex matches anywhere in `input`, using a throwaway matcher.
    ///
    /// Convenience for tests and cold paths; hot paths should keep a `RegexMatcher`.
    package func matches(_ input: some Collection<UInt8>) -> Bool {
        let matcher = makeMatcher()
        if let result = input.withContiguousStorageIfAvailable({ matcher.matches(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(input).withUnsafeBytes { matcher.matches($0) }
    }

    /// Two regexes are equal when they were written identically.
    package static func == (lhs: FilterRegex, rhs: FilterRegex) -> Bool {
        lhs.source == rhs.source
    }
}
