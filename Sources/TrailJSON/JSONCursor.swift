/// A position in a JSON buffer plus the validating scan primitives every reader is built from.
///
/// The cursor reads raw memory through an unsafe pointer because it is the innermost loop of the
/// whole product: strings are skipped eight bytes at a time and nothing is allocated. Every
/// primitive validates what it skips (RFC 8259 grammar, escapes, surrogate pairs, UTF-8, control
/// characters), so a record that projects without error is well-formed JSON.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    /// Where reading stops: the buffer's end, or the end of one line while detecting layouts.
    var count: Int
    var position: Int
    let maxDepth: Int
    let maxRecordBytes: Int

    init(_ buffer: UnsafeRawBufferPointer, position: Int = 0, limits: JSONLimits) {
        if let address = buffer.baseAddress {
            base = address.assumingMemoryBound(to: UInt8.self)
        } else {
            base = JSONCursor.emptyBase
        }
        count = buffer.count
        self.position = position
        maxDepth = limits.maxDepth
        maxRecordBytes = limits.maxRecordBytes
    }

    /// A valid address for empty buffers, so that `base` never has to be optional.
    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    // MARK: Errors

    func error(_ kind: JSONError.Kind, at offset: Int, expected: String) -> JSONError {
        JSONError(
            kind, at: offset, expected: expected, found: JSONError.describeByte(at: offset, in: base, count: count))
    }

    /// Throws when a record of `size` bytes starting at `start` exceeds the limit.
    func checkRecordSize(_ size: Int, at start: Int) throws(JSONError) {
        try JSONCursor.checkRecordSize(size, at: start, limit: maxRecordBytes)
    }

    static func checkRecordSize(_ size: Int, at start: Int, limit: Int) throws(JSONError) {
        guard size > limit else { return }
        throw JSONError(
            .recordTooLarge, at: start, expected: "a record of at most \(limit) bytes", found: "one of \(size) bytes")
    }

    func unexpected(_ expected: String) -> JSONError {
        error(position < count ? .unexpectedByte : .unexpectedEnd, at: position, expected: expected)
    }

    // MARK: Whitespace and single bytes

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            let byte = base[position]
            // Space 0x20, tab 0x09, LF 0x0A, CR 0x0D.
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// The byte under the cursor, or nil at the end.
    @inline(__always)
    var current: UInt8? { position < count ? base[position] : nil }

    // MARK: Values

    /// Validates and skips one value starting exactly at the cursor; returns its kind.
    ///
    /// `depth` is the nesting level of the value being skipped (the root value is depth 1 when it is
    /// a container), so the limit counts containers, not scalars.
    mutating func skipValue(depth: Int) throws(JSONError) -> JSONKind {
        guard position < count else { throw unexpected("a value") }
        switch base[position] {
        case UInt8(ascii: "\""):
            _ = try scanString()
            return .string
        case UInt8(ascii: "{"):
            try skipObject(depth: depth + 1)
            return .object
        case UInt8(ascii: "["):
            try skipArray(depth: depth + 1)
            return .array
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return .true
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return .false
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
            return .number
        default:
            throw unexpected("a value (string, number, object, array, true, false or null)")
        }
    }

    /// Skips an object whose `{` is under the cursor.
    mutating func skipObject(depth: Int) throws(JSONError) {
        guard try !enterContainer(closing: UInt8(ascii: "}"), depth: depth) else { return }
        repeat {
            guard current == UInt8(ascii: "\"") else { throw unexpected("a string key in an object") }
            _ = try scanString()
            try expectColon()
            _ = try skipValue(depth: depth)
        } while try !endOfItem(closing: UInt8(ascii: "}"))
    }

    /// Skips an array whose `[` is under the cursor.
    mutating func skipArray(depth: Int) throws(JSONError) {
        guard try !enterContainer(closing: UInt8(ascii: "]"), depth: depth) else { return }
        repeat {
            _ = try skipValue(depth: depth)
        } while try !endOfItem(closing: UInt8(ascii: "]"))
    }

    /// Steps over the opening `{` or `[` under the cursor and the whitespace after it, enforcing the
    /// depth limit; returns true when the container is empty (its closing byte consumed too).
    @inline(__always)
    mutating func enterContainer(closing: UInt8, depth: Int) throws(JSONError) -> Bool {
        guard depth <= maxDepth else {
            throw error(.tooDeep, at: position, expected: "nesting of at most \(maxDepth) levels")
        }
        position += 1
        skipWhitespace()
        guard current == closing else { return false }
        position += 1
        return true
    }

    /// After an object member or array element: consumes `,` and the whitespace after it (false:
    /// another item follows) or the container's closing byte (true: it is finished).
    @inline(__always)
    mutating func endOfItem(closing: UInt8) throws(JSONError) -> Bool {
        skipWhitespace()
        if current == UInt8(ascii: ",") {
            position += 1
            skipWhitespace()
            return false
        }
        guard current == closing else {
            throw unexpected(
                closing == UInt8(ascii: "}") ? "`,` or `}` after an object member" : "`,` or `]` after an array element"
            )
        }
        position += 1
        return true
    }

    /// Consumes optional whitespace, a `:`, and whitespace after it.
    @inline(__always)
    mutating func expectColon() throws(JSONError) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw unexpected("`:` after an object key") }
        position += 1
        skipWhitespace()
    }

    mutating func scanLiteral(_ literal: StaticString) throws(JSONError) {
        let start = position
        let length = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for index in 0..<length {
            guard start + index < count, base[start + index] == bytes[index] else {
                position = start + index
                throw unexpected("the literal `\(literal)`")
            }
        }
        position = start + length
    }

    /// Scans a number per RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func scanNumber() throws(JSONError) {
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard let first = current, isDigit(first) else { throw numberError("a digit") }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if current == UInt8(ascii: ".") {
            position += 1
            guard let digit = current, isDigit(digit) else { throw numberError("a digit after the decimal point") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, isDigit(digit) else { throw numberError("a digit in the exponent") }
            skipDigits()
        }
    }

    private func numberError(_ expected: String) -> JSONError {
        error(position < count ? .invalidNumber : .unexpectedEnd, at: position, expected: expected)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private mutating func skipDigits() {
        while position < count, isDigit(base[position]) { position += 1 }
    }

    // MARK: Strings

    /// Validates and skips a string whose opening quote is under the cursor.
    ///
    /// Returns whether the string contains a backslash escape, so callers can compare raw bytes
    /// when it does not. The fast path tests eight bytes per step for the four byte kinds that need
    /// attention: `"`, `\`, controls below 0x20, and non-ASCII (UTF-8 validation).
    @inline(__always)
    mutating func scanString() throws(JSONError) -> Bool {
        position += 1
        var hasEscapes = false
        while true {
            // Word-at-a-time skip over plain ASCII.
            while position &+ 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                if JSONCursor.needsAttention(word) { break }
                position &+= 8
            }
            guard position < count else {
                throw error(.unexpectedEnd, at: position, expected: "`\"` to close the string")
            }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return hasEscapes
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try scanEscape()
            } else if byte < 0x20 {
                throw error(
                    .controlCharacterInString, at: position,
                    expected: "a control character to be escaped inside a string")
            } else if byte >= 0x80 {
                try scanUTF8Sequence()
            } else {
                position += 1
            }
        }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// True when any byte of `word` is `"`, `\`, below 0x20 or at least 0x80.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return ((hasQuote | hasBackslash | hasControl) & highs) | (word & highs) != 0
    }

    /// Validates the escape sequence under the cursor (which points at the backslash).
    private mutating func scanEscape() throws(JSONError) {
        let start = position
        position += 1
        guard position < count else {
            throw error(.unexpectedEnd, at: position, expected: "an escape character after `\\`")
        }
        switch base[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            let unit = try scanHex4()
            if unit >= 0xD800 && unit < 0xDC00 {
                // A high surrogate must be followed by `\u` and a low surrogate.
                guard position + 1 < count, base[position] == UInt8(ascii: "\\"),
                    base[position + 1] == UInt8(ascii: "u")
                else {
                    throw error(
                        .unpairedSurrogate, at: start,
                        expected: "a low surrogate `\\uDC00`–`\\uDFFF` after a high surrogate")
                }
                position += 2
                let low = try scanHex4()
                guard low >= 0xDC00 && low < 0xE000 else {
                    throw error(
                        .unpairedSurrogate, at: start,
                        expected: "a low surrogate `\\uDC00`–`\\uDFFF` after a high surrogate")
                }
            } else if unit >= 0xDC00 && unit < 0xE000 {
                throw error(.unpairedSurrogate, at: start, expected: "a high surrogate before a low surrogate")
            }
        default:
            throw error(
                .invalidEscape, at: position, expected: "one of `\"` `\\` `/` `b` `f` `n` `r` `t` `u` after `\\`")
        }
    }

    private mutating func scanHex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < count, let digit = JSONCursor.hexValue(base[position]) else {
                throw error(
                    position < count ? .invalidEscape : .unexpectedEnd, at: position,
                    expected: "four hex digits after `\\u`")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Validates one UTF-8 encoded scalar whose lead byte (>= 0x80) is under the cursor.
    ///
    /// Rejects stray continuation bytes, overlong forms, surrogates and values above U+10FFFF, as
    /// the Unicode standard's table of well-formed sequences requires.
    private mutating func scanUTF8Sequence() throws(JSONError) {
        let start = position
        let lead = base[position]
        var length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default:
            throw error(.invalidUTF8, at: start, expected: "valid UTF-8 in a string")
        }
        for index in 1..<length {
            guard start + index < count else {
                throw error(.invalidUTF8, at: start, expected: "valid UTF-8 in a string")
            }
            let byte = base[start + index]
            let (low, high) = index == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low && byte <= high else {
                throw error(.invalidUTF8, at: start, expected: "valid UTF-8 in a string")
            }
        }
        position = start + length
    }
}
