/// A problem found while parsing a CloudWatch Logs filter-pattern regex body.
///
/// Offsets and lengths are in bytes relative to the body (the text between the `%` delimiters), so the
/// integrating parser can shift them into positions within the whole filter pattern.
package struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of a regex syntax problem.
    ///
    /// Raw values are stable identifiers, suitable for machine-readable diagnostics and tests.
    package enum Kind: String, Sendable, Equatable {
        /// The body between the `%` delimiters is empty.
        case empty
        /// An ASCII character that is neither a literal nor an operator here; it must be written `\xhh`.
        case unsupportedCharacter
        /// A non-ASCII byte appears in the body; regexes are written in ASCII only.
        case multibyteCharacter
        /// `(` or `)` outside a class: the language has no groups, lookaround or backreferences.
        case group
        /// A quantifier with no atom before it, e.g. `*a`, `a|*b` or `^*`.
        case nothingToRepeat
        /// A quantifier applied to a quantifier, e.g. `a**` or `a{2}{3}` (a single lazy `?` is allowed).
        case repeatedQuantifier
        /// A malformed `{...}` repetition, or one whose minimum exceeds its maximum.
        case badRepetitionBounds
        /// A `{...}` repetition bound above 1000.
        case repetitionTooLarge
        /// A `[` class with no closing `]`.
        case unterminatedClass
        /// A class with no members, `[]` or `[^]`.
        case emptyClass
        /// A class range whose start comes after its end, whose endpoint is not a single character, or a misplaced `-`.
        case badClassRange
        /// An unsupported backslash escape such as `\b` or `\1`, or a trailing `\`.
        case badEscape
        /// A `\x` escape without exactly two hex digits, or one outside ASCII.
        case badHexEscape
        /// The compiled program would exceed the engine's state budget (usually a large repetition).
        case tooComplex
    }

    /// The category of the problem.
    package var kind: Kind
    /// Byte offset of the problem within the body (0-based).
    package var offset: Int
    /// Number of bytes the problem spans; at least 1 except for an empty body.
    package var length: Int
    /// One sentence naming the problem.
    package var message: String
    /// A suggested fix, when one exists.
    package var hint: String?

    init(_ kind: Kind, offset: Int, length: Int, message: String, hint: String?) {
        self.kind = kind
        self.offset = offset
        self.length = length
        self.message = message
        self.hint = hint
    }

    /// A one-line rendering: offset, message and hint.
    ///
    /// Intended for logs and test failures; user-facing diagnostics should combine the fields themselves.
    package var description: String {
        var text = "regex error at byte \(offset): \(message)"
        if let hint {
            text += " (\(hint))"
        }
        return text
    }

    /// The `\xhh` spelling of an ASCII byte, as used in hints.
    static func hexEscape(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: false)
        return "\\x" + (digits.count < 2 ? "0" + digits : digits)
    }

    /// Human-readable name of a single byte for messages; quotes printable characters, names the rest by value.
    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x60:
            return "the backtick (0x60)"
        case 0x21...0x7E:
            return "`" + String(UnicodeScalar(byte)) + "`"
        case 0x20:
            return "a space"
        default:
            let digits = String(byte, radix: 16, uppercase: false)
            let padded = digits.count < 2 ? "0" + digits : digits
            return byte < 0x80 ? "the control character 0x\(padded)" : "the byte 0x\(padded)"
        }
    }
}
