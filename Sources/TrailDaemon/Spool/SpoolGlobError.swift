/// Why an `include`/`exclude` glob was rejected, and where in it.
///
/// Globs come from the configuration file, so the message names the glob, the 1-based column of
/// the offending character and, where there is an obvious fix, says what to write instead.
package struct SpoolGlobError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of problem, stable enough to test against.
    package enum Kind: String, Sendable, Hashable {
        /// The glob is the empty string.
        case empty
        /// The glob starts with `/`; globs are relative to the spool root.
        case absolute
        /// Two `/` in a row: a path segment with nothing in it.
        case emptySegment
        /// The glob ends with `/`, so it names a directory, and only files are matched.
        case trailingSlash
        /// A `[` without its closing `]`.
        case unterminatedClass
        /// A range such as `[z-a]` whose end comes before its start.
        case reversedRange
        /// A `/` inside `[…]`, which could never match: paths are split at `/` first.
        case slashInClass
        /// A `\` at the very end, with nothing to escape.
        case danglingEscape
    }

    /// What is wrong with the glob, broadly.
    package var kind: Kind
    /// The glob as written in the configuration.
    package var glob: String
    /// The 1-based column (in characters) of the offending character.
    package var column: Int
    /// What to write instead, when there is an obvious fix.
    package var hint: String?

    /// Creates an error for `glob` at `column`.
    package init(_ kind: Kind, glob: String, column: Int, hint: String? = nil) {
        self.kind = kind
        self.glob = glob
        self.column = column
        self.hint = hint
    }

    /// One line: `invalid glob "G" at column C: WHAT (HINT)`.
    package var description: String {
        let what =
            switch kind {
            case .empty: "the glob is empty"
            case .absolute: "a glob cannot start with \"/\", it is matched against paths relative to the spool"
            case .emptySegment: "\"//\" makes an empty path segment"
            case .trailingSlash: "a glob cannot end with \"/\", it is matched against files, not directories"
            case .unterminatedClass: "\"[\" starts a character class that is never closed with \"]\""
            case .reversedRange: "the range in this character class ends before it starts"
            case .slashInClass: "a character class cannot contain \"/\""
            case .danglingEscape: "\"\\\" at the end escapes nothing"
            }
        let fix = hint.map { "; \($0)" } ?? ""
        return "invalid glob \"\(glob)\" at column \(column): \(what)\(fix)"
    }
}
