import Testing
import TrailPatterns

/// One rejected body and exactly where and why it must be rejected.
struct RegexRejectionCase: Sendable, CustomTestStringConvertible {
    var body: [UInt8]
    var kind: RegexSyntaxError.Kind
    var offset: Int
    var length: Int
    /// Text the hint must contain (usually the `\xhh` spelling of the offending character).
    var hintContains: String?

    init(_ body: String, _ kind: RegexSyntaxError.Kind, _ offset: Int, _ length: Int, hint: String? = nil) {
        self.init(bytes: Array(body.utf8), kind, offset, length, hint: hint)
    }

    init(bytes: [UInt8], _ kind: RegexSyntaxError.Kind, _ offset: Int, _ length: Int, hint: String? = nil) {
        self.body = bytes
        self.kind = kind
        self.offset = offset
        self.length = length
        self.hintContains = hint
    }

    var testDescription: String { "%\(String(decoding: body, as: UTF8.self))% → \(kind)" }
}

@Suite("Regex syntax errors")
struct RegexSyntaxErrorTests {
    static let cases: [RegexRejectionCase] = [
        RegexRejectionCase("", .empty, 0, 0),
        // Characters that must be written \xhh.
        RegexRejectionCase("something!", .unsupportedCharacter, 9, 1, hint: "\\x21"),
        RegexRejectionCase("a\tb", .unsupportedCharacter, 1, 1, hint: "\\x09"),
        RegexRejectionCase("a\nb", .unsupportedCharacter, 1, 1, hint: "\\x0a"),
        RegexRejectionCase("100%", .unsupportedCharacter, 3, 1, hint: "\\x25"),
        RegexRejectionCase("a]", .unsupportedCharacter, 1, 1, hint: "\\x5d"),
        RegexRejectionCase("a}", .unsupportedCharacter, 1, 1, hint: "\\x7d"),
        RegexRejectionCase("say \"hi\"", .unsupportedCharacter, 4, 1, hint: "\\x22"),
        RegexRejectionCase("it's", .unsupportedCharacter, 2, 1, hint: "\\x27"),
        RegexRejectionCase("a~b", .unsupportedCharacter, 1, 1, hint: "\\x7e"),
        RegexRejectionCase("a`b", .unsupportedCharacter, 1, 1, hint: "\\x60"),
        RegexRejectionCase("a&b", .unsupportedCharacter, 1, 1, hint: "\\x26"),
        RegexRejectionCase(bytes: [0x61, 0x7F], .unsupportedCharacter, 1, 1, hint: "\\x7f"),
        RegexRejectionCase(bytes: [0x00], .unsupportedCharacter, 0, 1, hint: "\\x00"),
        RegexRejectionCase("[a!]", .unsupportedCharacter, 2, 1, hint: "\\x21"),
        RegexRejectionCase("[a[]", .unsupportedCharacter, 2, 1, hint: "\\x5b"),
        RegexRejectionCase("[a\t]", .unsupportedCharacter, 2, 1, hint: "\\x09"),
        // Non-ASCII anywhere in the body.
        RegexRejectionCase("é", .multibyteCharacter, 0, 2),
        RegexRejectionCase("caf\u{e9}", .multibyteCharacter, 3, 2),
        RegexRejectionCase("a😀", .multibyteCharacter, 1, 4),
        RegexRejectionCase("[é]", .multibyteCharacter, 1, 2),
        RegexRejectionCase("[^a-cé]", .multibyteCharacter, 5, 2),
        RegexRejectionCase("\\é", .multibyteCharacter, 1, 2),
        RegexRejectionCase(bytes: [0x61, 0xFF], .multibyteCharacter, 1, 1),
        RegexRejectionCase(bytes: [0xC3], .multibyteCharacter, 0, 1),
        RegexRejectionCase(bytes: [0xED, 0xA0, 0x80], .multibyteCharacter, 0, 1),
        // Groups, lookaround and backreferences do not exist.
        RegexRejectionCase("(a)", .group, 0, 1, hint: "\\x28"),
        RegexRejectionCase("a)", .group, 1, 1, hint: "\\x29"),
        RegexRejectionCase("(?=a)", .group, 0, 1, hint: "\\x28"),
        RegexRejectionCase("a|(b|c)", .group, 2, 1, hint: "\\x28"),
        // Quantifiers with nothing before them.
        RegexRejectionCase("*a", .nothingToRepeat, 0, 1, hint: "\\x2a"),
        RegexRejectionCase("a|*b", .nothingToRepeat, 2, 1, hint: "\\x2a"),
        RegexRejectionCase("^*", .nothingToRepeat, 1, 1, hint: "\\x2a"),
        RegexRejectionCase("$+", .nothingToRepeat, 1, 1, hint: "\\x2b"),
        RegexRejectionCase("?", .nothingToRepeat, 0, 1, hint: "\\x3f"),
        RegexRejectionCase("a|+", .nothingToRepeat, 2, 1, hint: "\\x2b"),
        RegexRejectionCase("{2}", .nothingToRepeat, 0, 3, hint: "\\x7b"),
        RegexRejectionCase("^{1,2}a", .nothingToRepeat, 1, 5, hint: "\\x7b"),
        // Stacked quantifiers (a single lazy `?` is fine, see the parsing tests).
        RegexRejectionCase("a**", .repeatedQuantifier, 2, 1, hint: "\\x2a"),
        RegexRejectionCase("a+*", .repeatedQuantifier, 2, 1, hint: "\\x2a"),
        RegexRejectionCase("a?*", .repeatedQuantifier, 2, 1, hint: "\\x2a"),
        RegexRejectionCase("a{2}{3}", .repeatedQuantifier, 4, 3, hint: "\\x7b"),
        RegexRejectionCase("a{2}+", .repeatedQuantifier, 4, 1, hint: "\\x2b"),
        RegexRejectionCase("a???", .repeatedQuantifier, 3, 1, hint: "\\x3f"),
        RegexRejectionCase("a*?+", .repeatedQuantifier, 3, 1, hint: "\\x2b"),
        RegexRejectionCase("a+??", .repeatedQuantifier, 3, 1, hint: "\\x3f"),
        // Malformed braces: `{` is never a literal.
        RegexRejectionCase("a{,}", .badRepetitionBounds, 1, 3, hint: "\\x7b"),
        RegexRejectionCase("a{}", .badRepetitionBounds, 1, 2, hint: "\\x7b"),
        RegexRejectionCase("a{", .badRepetitionBounds, 1, 1, hint: "\\x7b"),
        RegexRejectionCase("{", .badRepetitionBounds, 0, 1, hint: "\\x7b"),
        RegexRejectionCase("a{2", .badRepetitionBounds, 1, 2, hint: "\\x7b"),
        RegexRejectionCase("a{x}", .badRepetitionBounds, 1, 2, hint: "\\x7b"),
        RegexRejectionCase("a{2,3x}", .badRepetitionBounds, 1, 5, hint: "\\x7b"),
        RegexRejectionCase("a{ 2}", .badRepetitionBounds, 1, 2, hint: "\\x7b"),
        RegexRejectionCase("a{-1}", .badRepetitionBounds, 1, 2, hint: "\\x7b"),
        RegexRejectionCase("a{3,2}", .badRepetitionBounds, 1, 5, hint: "{2,3}"),
        // Bounds above 1000.
        RegexRejectionCase("a{1001}", .repetitionTooLarge, 1, 6),
        RegexRejectionCase("a{2,5000}", .repetitionTooLarge, 1, 8),
        RegexRejectionCase("a{,1001}", .repetitionTooLarge, 1, 7),
        RegexRejectionCase("a{1001,}", .repetitionTooLarge, 1, 7),
        RegexRejectionCase("a{99999999999999999999999}", .repetitionTooLarge, 1, 25),
        // Classes.
        RegexRejectionCase("[abc", .unterminatedClass, 0, 4, hint: "\\x5b"),
        RegexRejectionCase("x[^a", .unterminatedClass, 1, 3, hint: "\\x5b"),
        RegexRejectionCase("[a-", .unterminatedClass, 0, 3, hint: "\\x5b"),
        RegexRejectionCase("[\\]", .unterminatedClass, 0, 3, hint: "\\x5b"),
        RegexRejectionCase("[", .unterminatedClass, 0, 1, hint: "\\x5b"),
        RegexRejectionCase("[^", .unterminatedClass, 0, 2, hint: "\\x5b"),
        RegexRejectionCase("[]", .emptyClass, 0, 2, hint: "\\x5d"),
        RegexRejectionCase("[^]", .emptyClass, 0, 3, hint: "\\x5d"),
        RegexRejectionCase("a[]b", .emptyClass, 1, 2, hint: "\\x5d"),
        RegexRejectionCase("[z-a]", .badClassRange, 1, 3),
        RegexRejectionCase("[9-0]", .badClassRange, 1, 3),
        RegexRejectionCase("[\\x5a-\\x41]", .badClassRange, 1, 9),
        RegexRejectionCase("[\\d-z]", .badClassRange, 1, 4, hint: "\\x2d"),
        RegexRejectionCase("[a-\\w]", .badClassRange, 1, 4, hint: "\\x2d"),
        RegexRejectionCase("[a-c-e]", .badClassRange, 4, 1, hint: "\\x2d"),
        // Escapes.
        RegexRejectionCase("\\b", .badEscape, 0, 2, hint: "\\x62"),
        RegexRejectionCase("a\\1", .badEscape, 1, 2, hint: "\\x31"),
        RegexRejectionCase("\\z", .badEscape, 0, 2, hint: "\\x7a"),
        RegexRejectionCase("\\Q", .badEscape, 0, 2, hint: "\\x51"),
        RegexRejectionCase("[\\q]", .badEscape, 1, 2, hint: "\\x71"),
        RegexRejectionCase("a\\", .badEscape, 1, 1, hint: "\\x5c"),
        RegexRejectionCase("[a\\", .badEscape, 2, 1, hint: "\\x5c"),
        RegexRejectionCase("\\\t", .badEscape, 0, 2, hint: "\\x09"),
        RegexRejectionCase("\\x", .badHexEscape, 0, 2, hint: "\\x21"),
        RegexRejectionCase("\\x4", .badHexEscape, 0, 3, hint: "\\x21"),
        RegexRejectionCase("\\xg1", .badHexEscape, 0, 2, hint: "\\x21"),
        RegexRejectionCase("\\x4g", .badHexEscape, 0, 3, hint: "\\x21"),
        RegexRejectionCase("\\x80", .badHexEscape, 0, 4, hint: "\\x21"),
        RegexRejectionCase("a\\xFF", .badHexEscape, 1, 4, hint: "\\x21"),
        RegexRejectionCase("[\\x8]", .badHexEscape, 1, 3, hint: "\\x21"),
        // Programs over the NFA budget point at the repetition that crosses it.
        RegexRejectionCase(".{1000}.{1000}", .tooComplex, 8, 6),
        RegexRejectionCase("a{1000}b{1000}\\W{1000}\\D{1000}", .tooComplex, 24, 6),
    ]

    @Test("rejected bodies report kind, offset, length, message and hint", arguments: cases)
    func rejection(_ expected: RegexRejectionCase) throws {
        let error = try #require(regexSyntaxError(expected.body))
        #expect(error.kind == expected.kind)
        #expect(error.offset == expected.offset)
        #expect(error.length == expected.length)
        #expect(!error.message.isEmpty)
        let hint = try #require(error.hint)
        #expect(!hint.isEmpty)
        if let fragment = expected.hintContains {
            #expect(hint.contains(fragment), "hint \(hint) should mention \(fragment)")
        }
        #expect(error.offset + error.length <= expected.body.count)
        #expect(error.description.contains(error.message))
    }

    @Test("every error kind is covered by the rejection table")
    func everyKindCovered() {
        let covered = Set(Self.cases.map(\.kind.rawValue))
        let all: [RegexSyntaxError.Kind] = [
            .empty, .unsupportedCharacter, .multibyteCharacter, .group, .nothingToRepeat, .repeatedQuantifier,
            .badRepetitionBounds, .repetitionTooLarge, .unterminatedClass, .emptyClass, .badClassRange, .badEscape,
            .badHexEscape, .tooComplex,
        ]
        for kind in all {
            #expect(covered.contains(kind.rawValue), "no rejection case for \(kind)")
        }
    }

    @Test("group errors explain that the language has no groups")
    func groupMessage() throws {
        let error = try #require(regexSyntaxError(Array("(ab)".utf8)))
        #expect(error.message.contains("no groups"))
        #expect(error.message.contains("backreferences"))
        #expect(error.hint == "write \\x28 to match a literal `(`")
    }

    @Test("backreference-like escapes say so")
    func backreferenceMessage() throws {
        let error = try #require(regexSyntaxError(Array("a\\2".utf8)))
        #expect(error.kind == .badEscape)
        #expect(error.message.contains("backreferences"))
    }

    @Test("control characters are named by value, never embedded raw in the message")
    func controlCharacterMessage() throws {
        let error = try #require(regexSyntaxError([0x61, 0x09]))
        #expect(error.message.contains("0x09"))
        #expect(!error.message.contains("\t"))
        #expect(error.hint?.contains("\\x09") == true)
    }

    @Test("the first problem from the left is reported")
    func leftmostErrorWins() throws {
        let error = try #require(regexSyntaxError(Array("a!b(c".utf8)))
        #expect(error.kind == .unsupportedCharacter)
        #expect(error.offset == 1)
    }

    @Test("the state budget admits large but reasonable repetitions")
    func budgetBoundary() throws {
        _ = try FilterRegex(".{1000}")
        _ = try FilterRegex("a{1000}b{1000}c{1000}")
        _ = try FilterRegex("\\S{1000}x{1000}")
    }
}
