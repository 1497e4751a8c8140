import TrailJSON

/// The comparison rules of section 4, including every decision of 4.10, in one place.
///
/// Each function answers one predicate for one candidate value; the matcher applies them
/// existentially over a selector's candidates. If AWS behaviour is ever confirmed to differ from a
/// decision below, this file is where it changes (and `docs/rule-language.md` with it).
enum PatternSemantics {
    /// Values that `=` and `!=` can ever be true for. Objects, arrays, booleans and null never
    /// match either operator (section 1, rule 3; 4.10 rule 3), and neither does an absent field.
    @inline(__always)
    static func isComparable(_ kind: JSONKind) -> Bool {
        switch kind {
        case .string, .number: true
        default: false
        }
    }

    /// The text a string or wildcard literal is compared with: a string's decoded contents, or a
    /// number's JSON text (4.10 rule 1: `4*` matches 404, `"400"` matches 400).
    /// Callers decode escaped strings before calling `matchesText`.
    @inline(__always)
    static func matchesText(
        _ shape: TextShape, literal: UnsafeRawBufferPointer, failure: UnsafeBufferPointer<Int32>,
        value: UnsafeRawBufferPointer
    ) -> Bool {
        switch shape {
        case .any: return true
        case .exact: return value.count == literal.count && bytesEqual(value, 0, literal)
        case .prefix: return value.count >= literal.count && bytesEqual(value, 0, literal)
        case .suffix: return value.count >= literal.count && bytesEqual(value, value.count - literal.count, literal)
        case .contains: return ByteSearch.contains(value, literal, failure: failure)
        }
    }

    /// A number literal against a JSON number: numeric comparison of doubles (section 4.5).
    @inline(__always)
    static func compareNumbers(_ value: Double, _ comparison: ComparisonOperator, _ literal: Double) -> Bool {
        switch comparison {
        case .equal: value == literal
        case .notEqual: value != literal
        case .less: value < literal
        case .greater: value > literal
        case .lessOrEqual: value <= literal
        case .greaterOrEqual: value >= literal
        }
    }

    /// How a number literal is compared with a value of a given kind.
    enum NumberComparison {
        /// Both sides as doubles (section 4.5): `1e-3` equals `0.001`.
        case numeric
        /// The value's text against the literal as written (4.10 rule 2: `= 123456789012`
        /// matches the string `"123456789012"`).
        case text
        /// Never true (4.10 rule 4: `<`, `>`, `<=`, `>=` are false for strings, numeric or not).
        case never
    }

    @inline(__always)
    static func numberComparison(_ kind: JSONKind, _ comparison: ComparisonOperator) -> NumberComparison {
        switch kind {
        case .number: .numeric
        case .string: comparison.isRelational ? .never : .text
        default: .never
        }
    }

    @inline(__always)
    static func bytesEqual(_ value: UnsafeRawBufferPointer, _ offset: Int, _ literal: UnsafeRawBufferPointer) -> Bool {
        guard literal.count > 0 else { return true }
        return memcmpRaw(value.baseAddress! + offset, literal.baseAddress!, literal.count)
    }

    @inline(__always)
    static func memcmpRaw(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
        var index = 0
        while index &+ 8 <= count {
            if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index &+= 8
        }
        while index < count {
            if lhs.load(fromByteOffset: index, as: UInt8.self) != rhs.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index &+= 1
        }
        return true
    }

    /// Parses the JSON text of a number. Short texts fit a small string, so this does not allocate.
    @inline(__always)
    static func double(_ text: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: text, as: UTF8.self))
    }
}

/// How a string literal matches, with its wildcards removed (see `StringLiteral.Shape`).
enum TextShape: UInt8, Sendable {
    case any
    case exact
    case prefix
    case suffix
    case contains
}
