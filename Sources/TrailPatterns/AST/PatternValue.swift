/// The value on the right of a comparison.
package enum PatternValue: Sendable, Hashable {
    /// A quoted or bare string; quoted and bare spellings mean the same.
    case string(StringLiteral)
    /// A bare token that reads as a number (`200`, `-1.5`, `1e-3`, `+1000`).
    case number(NumberLiteral)
    /// `%regex%`, searched inside the value.
    case regex(FilterRegex)
}

/// A string value, with its wildcard reading.
///
/// `*` is a wildcard only as the first and/or last character; anywhere else it is a literal
/// character (section 4.10, rule 6). `*` alone matches any string or number.
package struct StringLiteral: Sendable, Hashable {
    /// The decoded text, `*` characters included as written.
    package var text: String
    /// Where the literal is written in the pattern text (UTF-8 bytes, quotes included), when it
    /// was parsed; lint warnings point there. Not part of the literal's value: equality and
    /// hashing ignore it.
    package var range: Range<Int>?

    package init(_ text: String, range: Range<Int>? = nil) {
        self.text = text
        self.range = range
    }

    /// Literals compare by their UTF-8 bytes, as matching does (no Unicode normalisation).
    package static func == (lhs: StringLiteral, rhs: StringLiteral) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }
    package func hash(into hasher: inout Hasher) { hasher.combine(Array(text.utf8)) }

    /// How the text is matched against a value.
    package enum Shape: Sendable, Hashable {
        case any
        case exact(String)
        case prefix(String)
        case suffix(String)
        case contains(String)
    }

    package var shape: Shape {
        if text == "*" { return .any }
        let leading = text.hasPrefix("*")
        let trailing = text.hasSuffix("*")
        switch (leading, trailing) {
        case (true, true): return .contains(String(text.dropFirst().dropLast()))
        case (true, false): return .suffix(String(text.dropFirst()))
        case (false, true): return .prefix(String(text.dropLast()))
        case (false, false): return .exact(text)
        }
    }
}

/// A number value: its text as written (kept for string comparisons, rule 2 of 4.10) and its
/// value as a double (for numeric comparisons).
package struct NumberLiteral: Sendable, Hashable {
    package var text: String
    package var value: Double

    /// Reads `text` if it matches the number grammar of section 3.1:
    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
    package init?(_ text: String) {
        guard NumberLiteral.isNumber(Array(text.utf8)), let value = Double(text) else { return nil }
        self.text = text
        self.value = value
    }

    package static func isNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var mantissa = digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
