/// The parsed form of a regex body: top-level alternatives, each a sequence of terms.
///
/// Because the language has no groups, `|` only ever appears at the top level and every quantifier applies to
/// exactly one single-character atom, so this flat shape represents every valid regex.
struct RegexSyntaxTree: Sendable {
    /// One element of an alternative: an anchor or a (possibly repeated) single-character atom.
    struct Term: Sendable {
        enum Kind: Sendable, Equatable {
            case startAnchor
            case endAnchor
            case atom(RegexCharClass)
        }

        var kind: Kind
        /// Byte offset and length of the atom or anchor in the body.
        var offset: Int
        var length: Int
        /// Repetition bounds; `maxCount == nil` means unbounded. Unquantified atoms are `{1,1}`.
        var minCount = 1
        var maxCount: Int? = 1
        /// Span of the quantifier, if any, so "too complex" can point at the repetition.
        var quantifierOffset: Int?
        var quantifierLength = 0
    }

    var alternatives: [[Term]]
}
