/// Single left-to-right scanner that validates a regex body and builds its `RegexSyntaxTree`.
///
/// Without groups the grammar is flat, so the only state needed to validate quantifiers is what kind of term came
/// last. The first problem found (leftmost) is reported.
struct RegexParser {
    private enum LastTerm {
        case nothing, anchor, atom, quantified, lazy
    }

    private enum ClassElement {
        case single(UInt8)
        case set(RegexCharClass)
    }

    /// Largest allowed `{m,n}` bound.
    static let maxRepetition = 1000

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func parse(_ bytes: [UInt8]) throws(RegexSyntaxError) -> RegexSyntaxTree {
        var parser = RegexParser(bytes: bytes)
        return try parser.parseBody()
    }

    // MARK: - Character categories

    /// Characters that stand for themselves anywhere in the body.
    static func isPlainLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "#"), UInt8(ascii: "="), UInt8(ascii: "@"),
            UInt8(ascii: "/"), UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: " "):
            return true
        default:
            return false
        }
    }

    /// Operator characters that lose their meaning (and become literals) inside `[...]`.
    static func isClassOnlyLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"),
            UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "$"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "^"):
            return true
        default:
            return false
        }
    }

    /// ASCII punctuation and symbols, which `\` turns into literals.
    private static func isPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: - Body

    private mutating func parseBody() throws(RegexSyntaxError) -> RegexSyntaxTree {
        if bytes.isEmpty {
            throw RegexSyntaxError(
                .empty, offset: 0, length: 0, message: "the regex between the `%` delimiters is empty",
                hint: "put a pattern between the delimiters, e.g. %abc%")
        }
        var alternatives: [[RegexSyntaxTree.Term]] = []
        var terms: [RegexSyntaxTree.Term] = []
        var last = LastTerm.nothing
        while index < bytes.count {
            let byte = bytes[index]
            let start = index
            switch byte {
            case UInt8(ascii: "|"):
                alternatives.append(terms)
                terms = []
                last = .nothing
                index += 1
            case UInt8(ascii: "^"), UInt8(ascii: "$"):
                let kind: RegexSyntaxTree.Term.Kind = byte == UInt8(ascii: "^") ? .startAnchor : .endAnchor
                terms.append(RegexSyntaxTree.Term(kind: kind, offset: start, length: 1))
                last = .anchor
                index += 1
            case UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{"):
                try parseQuantifier(terms: &terms, last: &last)
            case UInt8(ascii: "("), UInt8(ascii: ")"):
                throw RegexSyntaxError(
                    .group, offset: start, length: 1,
                    message: "\(RegexSyntaxError.describe(byte)) is not supported: regexes have no groups, "
                        + "lookaround or backreferences",
                    hint: Self.literalHint(byte))
            case UInt8(ascii: "["):
                let set = try parseClass()
                terms.append(RegexSyntaxTree.Term(kind: .atom(set), offset: start, length: index - start))
                last = .atom
            case UInt8(ascii: "\\"):
                let set: RegexCharClass
                switch try parseEscape() {
                case .single(let value): set = RegexCharClass(byte: value)
                case .set(let value): set = value
                }
                terms.append(RegexSyntaxTree.Term(kind: .atom(set), offset: start, length: index - start))
                last = .atom
            case UInt8(ascii: "."):
                terms.append(RegexSyntaxTree.Term(kind: .atom(.dot), offset: start, length: 1))
                last = .atom
                index += 1
            default:
                guard Self.isPlainLiteral(byte) else {
                    throw unsupported(at: start, insideClass: false)
                }
                terms.append(RegexSyntaxTree.Term(kind: .atom(RegexCharClass(byte: byte)), offset: start, length: 1))
                last = .atom
                index += 1
            }
        }
        alternatives.append(terms)
        return RegexSyntaxTree(alternatives: alternatives)
    }

    // MARK: - Quantifiers

    private mutating func parseQuantifier(
        terms: inout [RegexSyntaxTree.Term], last: inout LastTerm
    ) throws(RegexSyntaxError) {
        let start = index
        let byte = bytes[index]
        let bounds: (min: Int, max: Int?)
        switch byte {
        case UInt8(ascii: "?"): bounds = (0, 1)
        case UInt8(ascii: "*"): bounds = (0, nil)
        case UInt8(ascii: "+"): bounds = (1, nil)
        default: bounds = try parseBraces()
        }
        // parseBraces has advanced past `}`; single-character quantifiers advance here.
        if byte != UInt8(ascii: "{") {
            index += 1
        }
        let length = index - start
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let literalHint = Self.literalHint(byte)
        switch last {
        case .nothing, .anchor:
            let what = last == .anchor ? "it follows an anchor, which cannot be repeated" : "no character precedes it"
            throw RegexSyntaxError(
                .nothingToRepeat, offset: start, length: length,
                message: "`\(text)` has nothing to repeat: \(what)", hint: literalHint)
        case .atom:
            terms[terms.count - 1].minCount = bounds.min
            terms[terms.count - 1].maxCount = bounds.max
            terms[terms.count - 1].quantifierOffset = start
            terms[terms.count - 1].quantifierLength = length
            last = .quantified
        case .quantified where byte == UInt8(ascii: "?"):
            // A lazy quantifier: it changes which match is preferred, never whether one exists, so it is a no-op.
            last = .lazy
        case .quantified, .lazy:
            throw RegexSyntaxError(
                .repeatedQuantifier, offset: start, length: length,
                message: "`\(text)` cannot follow another quantifier",
                hint: "remove one of the quantifiers, or \(literalHint)")
        }
    }

    /// Parses `{m}`, `{m,}`, `{,n}` or `{m,n}` starting at `{`; leaves `index` after `}`.
    private mutating func parseBraces() throws(RegexSyntaxError) -> (min: Int, max: Int?) {
        let start = index
        var cursor = index + 1
        // Saturate instead of overflowing on absurd digit strings; anything above the limit is rejected anyway.
        func number(_ cursor: inout Int) -> Int? {
            var value: Int?
            while cursor < bytes.count, let digit = Self.decimal(bytes[cursor]) {
                value = min((value ?? 0) * 10 + digit, 1_000_000)
                cursor += 1
            }
            return value
        }
        let lower = number(&cursor)
        var hasComma = false
        var upper: Int?
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") {
            hasComma = true
            cursor += 1
            upper = number(&cursor)
        }
        let literalHint = "write \\x7b to match a literal `{`"
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}") else {
            throw RegexSyntaxError(
                .badRepetitionBounds, offset: start, length: min(cursor + 1, bytes.count) - start,
                message: "`{` must start a repetition such as {2}, {2,}, {,5} or {2,5}", hint: literalHint)
        }
        index = cursor + 1
        let length = index - start
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard lower != nil || upper != nil else {
            throw RegexSyntaxError(
                .badRepetitionBounds, offset: start, length: length,
                message: "`\(text)` gives no repetition bounds",
                hint: "write a count such as {2} or {1,3}, or \(literalHint)")
        }
        let minimum = lower ?? 0
        let maximum: Int? = hasComma ? upper : lower
        if minimum > Self.maxRepetition || (maximum ?? 0) > Self.maxRepetition {
            throw RegexSyntaxError(
                .repetitionTooLarge, offset: start, length: length,
                message: "`\(text)` exceeds the largest allowed repetition count of \(Self.maxRepetition)",
                hint: "use bounds of at most \(Self.maxRepetition), or `*` / `+` for an unbounded repetition")
        }
        if let maximum, maximum < minimum {
            throw RegexSyntaxError(
                .badRepetitionBounds, offset: start, length: length,
                message: "`\(text)` has a minimum larger than its maximum",
                hint: "write {\(maximum),\(minimum)}")
        }
        return (minimum, maximum)
    }

    private static func decimal(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    // MARK: - Classes

    /// Parses `[...]` starting at `[`; leaves `index` after `]`.
    private mutating func parseClass() throws(RegexSyntaxError) -> RegexCharClass {
        let start = index
        let closeBracket = UInt8(ascii: "]")
        let dash = UInt8(ascii: "-")
        index += 1
        var negated = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        // `[]` / `[^]` with no later `]` would otherwise be reported as unterminated, which hides the real mistake.
        if index < bytes.count, bytes[index] == closeBracket, !bytes[(index + 1)...].contains(closeBracket) {
            let text = negated ? "[^]" : "[]"
            throw RegexSyntaxError(
                .emptyClass, offset: start, length: index + 1 - start,
                message: "`\(text)` is an empty character class",
                hint: "put characters between the brackets; write \\x5d to match a literal `]`")
        }
        var members = RegexCharClass()
        var first = true
        while true {
            guard index < bytes.count else {
                throw RegexSyntaxError(
                    .unterminatedClass, offset: start, length: bytes.count - start,
                    message: "the character class starting with `[` is never closed by `]`",
                    hint: "add the missing `]`, or write \\x5b to match a literal `[`")
            }
            let byte = bytes[index]
            if byte == closeBracket, !first {
                index += 1
                break
            }
            let elementStart = index
            let element: ClassElement
            if byte == closeBracket || byte == dash {
                // `]` first is a literal; `-` is a literal only first or last, elsewhere it would be ambiguous.
                // At the very end of the body the class is unterminated; let the loop report that instead.
                let isLast = index + 1 >= bytes.count || bytes[index + 1] == closeBracket
                if byte == dash, !first, !isLast {
                    throw RegexSyntaxError(
                        .badClassRange, offset: index, length: 1,
                        message: "`-` in a character class must be first, last, or between the two ends of a range",
                        hint: "write \\x2d to match a literal `-`")
                }
                element = .single(byte)
                index += 1
            } else {
                element = try parseClassElement()
            }
            first = false
            guard index + 1 < bytes.count, bytes[index] == dash, bytes[index + 1] != closeBracket else {
                switch element {
                case .single(let value): members.insert(value)
                case .set(let value): members.formUnion(value)
                }
                continue
            }
            index += 1
            let upper = try parseClassElement()
            let text = String(decoding: bytes[elementStart..<index], as: UTF8.self)
            guard case .single(let low) = element, case .single(let high) = upper else {
                throw RegexSyntaxError(
                    .badClassRange, offset: elementStart, length: index - elementStart,
                    message: "`\(text)` is not a valid range: both ends must be single characters",
                    hint: "write \\x2d to match a literal `-`")
            }
            guard low <= high else {
                throw RegexSyntaxError(
                    .badClassRange, offset: elementStart, length: index - elementStart,
                    message: "`\(text)` is not a valid range: its start comes after its end",
                    hint: "put the smaller character first")
            }
            members.insert(range: low, high)
        }
        return negated ? members.inverted() : members
    }

    /// One class member other than a leading `]` or bare `-`: a literal or an escape.
    private mutating func parseClassElement() throws(RegexSyntaxError) -> ClassElement {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\\") {
            return try parseEscape()
        }
        guard Self.isPlainLiteral(byte) || Self.isClassOnlyLiteral(byte) else {
            throw unsupported(at: index, insideClass: true)
        }
        index += 1
        return .single(byte)
    }

    // MARK: - Escapes

    /// Parses `\…` starting at the backslash; leaves `index` after the escape.
    private mutating func parseEscape() throws(RegexSyntaxError) -> ClassElement {
        let start = index
        guard index + 1 < bytes.count else {
            throw RegexSyntaxError(
                .badEscape, offset: start, length: 1, message: "a trailing `\\` has nothing to escape",
                hint: "write \\x5c (or \\\\) to match a literal `\\`")
        }
        let byte = bytes[index + 1]
        index += 2
        switch byte {
        case UInt8(ascii: "d"): return .set(.digits)
        case UInt8(ascii: "D"): return .set(RegexCharClass.digits.inverted())
        case UInt8(ascii: "s"): return .set(.space)
        case UInt8(ascii: "S"): return .set(RegexCharClass.space.inverted())
        case UInt8(ascii: "w"): return .set(.word)
        case UInt8(ascii: "W"): return .set(RegexCharClass.word.inverted())
        case UInt8(ascii: "n"): return .single(0x0A)
        case UInt8(ascii: "t"): return .single(0x09)
        case UInt8(ascii: "r"): return .single(0x0D)
        case UInt8(ascii: "f"): return .single(0x0C)
        case UInt8(ascii: "v"): return .single(0x0B)
        case UInt8(ascii: "x"): return .single(try parseHexDigits(escapeStart: start))
        case 0x20:
            // Space is already a literal; accepting `\ ` costs nothing and avoids a confusing error.
            return .single(byte)
        case _ where Self.isPunctuation(byte):
            return .single(byte)
        case 0x80...:
            throw unsupported(at: start + 1, insideClass: false)
        default:
            let name = byte < 0x20 || byte == 0x7F ? RegexSyntaxError.describe(byte) : "`\\\(UnicodeScalar(byte))`"
            let isDigit = Self.decimal(byte) != nil
            let reason = isDigit ? ": regexes have no backreferences" : ""
            let escapes = "supported escapes are \\d \\D \\s \\S \\w \\W \\n \\t \\r \\f \\v and \\xhh"
            let hint: String
            if byte < 0x20 || byte == 0x7F {
                hint = "write \(RegexSyntaxError.hexEscape(byte)) to match that character; \(escapes)"
            } else {
                hint =
                    "write \(RegexSyntaxError.hexEscape(byte)) (or just \(RegexSyntaxError.describe(byte))) "
                    + "to match a literal \(RegexSyntaxError.describe(byte)); \(escapes)"
            }
            let subject = byte < 0x20 || byte == 0x7F ? "`\\` followed by \(name)" : name
            throw RegexSyntaxError(
                .badEscape, offset: start, length: 2, message: "\(subject) is not a supported escape\(reason)",
                hint: hint)
        }
    }

    /// Reads the two hex digits after `\x`; `index` is already past the `x`.
    private mutating func parseHexDigits(escapeStart: Int) throws(RegexSyntaxError) -> UInt8 {
        let hint =
            "write exactly two hex digits from 00 to 7f, e.g. \\x21 for `!`; "
            + "use `.` to match non-ASCII characters"
        guard index + 1 < bytes.count, let high = Self.hexValue(bytes[index]), let low = Self.hexValue(bytes[index + 1])
        else {
            // Span the `\x` plus whatever hex digits were present, so the caret lands on the broken escape.
            var end = index
            while end < bytes.count, end < index + 2, Self.hexValue(bytes[end]) != nil {
                end += 1
            }
            throw RegexSyntaxError(
                .badHexEscape, offset: escapeStart, length: end - escapeStart,
                message: "`\\x` must be followed by exactly two hex digits", hint: hint)
        }
        index += 2
        let value = high << 4 | low
        guard value < 0x80 else {
            let text = String(decoding: bytes[escapeStart..<index], as: UTF8.self)
            throw RegexSyntaxError(
                .badHexEscape, offset: escapeStart, length: 4,
                message: "`\(text)` is outside ASCII: `\\x` escapes must be between \\x00 and \\x7f", hint: hint)
        }
        return value
    }

    // MARK: - Errors

    /// "write \xhh to match a literal `c`", the standard fix for an operator or unsupported character.
    private static func literalHint(_ byte: UInt8) -> String {
        "write \(RegexSyntaxError.hexEscape(byte)) to match a literal \(RegexSyntaxError.describe(byte))"
    }

    /// The error for a byte that cannot appear unescaped at `offset`.
    private func unsupported(at offset: Int, insideClass: Bool) -> RegexSyntaxError {
        let byte = bytes[offset]
        if byte >= 0x80 {
            let length = Self.encodedLength(at: offset, in: bytes)
            let name: String
            if length > 1 {
                name = "the non-ASCII character `\(String(decoding: bytes[offset..<(offset + length)], as: UTF8.self))`"
            } else {
                name = "\(RegexSyntaxError.describe(byte)), which is not ASCII,"
            }
            return RegexSyntaxError(
                .multibyteCharacter, offset: offset, length: length,
                message: "\(name) cannot appear in a regex",
                hint: "regexes are ASCII only; use `.` or a negated class such as [^a] to match non-ASCII characters")
        }
        let place = insideClass ? "inside a character class" : "unescaped in a regex"
        return RegexSyntaxError(
            .unsupportedCharacter, offset: offset, length: 1,
            message: "\(RegexSyntaxError.describe(byte)) cannot appear \(place)",
            hint: "write \(RegexSyntaxError.hexEscape(byte)) to match \(RegexSyntaxError.describe(byte))")
    }

    /// Length of the well-formed UTF-8 sequence at `offset`, or 1 if it is not well formed.
    private static func encodedLength(at offset: Int, in bytes: [UInt8]) -> Int {
        let lead = bytes[offset]
        let expected =
            switch lead {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 1
            }
        guard expected > 1, offset + expected <= bytes.count else { return 1 }
        // Let the standard decoder judge overlongs and surrogates: a clean decode yields exactly one scalar.
        let scalars = String(decoding: bytes[offset..<(offset + expected)], as: UTF8.self).unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first, scalar.value != 0xFFFD || lead == 0xEF else { return 1 }
        return expected
    }
}
