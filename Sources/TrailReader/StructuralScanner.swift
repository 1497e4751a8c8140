/// Finds where JSON values end without validating them, over a window that may end mid-value.
///
/// Framing records this way costs a fraction of a validating scan: it only tracks strings (with
/// escapes) and bracket depth, eight bytes at a time inside strings. Validation is not lost: every
/// record is projected afterwards by `JSONProjection`, which checks it completely. A scan that
/// reaches the end of the window returns nil, and the caller refills and scans again.
struct StructuralScanner {
    let base: UnsafePointer<UInt8>
    let end: Int

    /// The bracket or byte that closes a container opened by `byte`.
    enum Outcome: Equatable {
        /// The value ends just before this offset.
        case end(Int)
        /// The window ended first.
        case needMore
        /// A byte that cannot start or continue the value here.
        case invalid(Int)
    }

    @inline(__always)
    func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// The first offset at or after `start` that is not whitespace, or nil at the window's end.
    @inline(__always)
    func skipWhitespace(from start: Int) -> Int? {
        var index = start
        while index < end {
            if !isWhitespace(base[index]) { return index }
            index += 1
        }
        return nil
    }

    /// Skips one value starting at `start` (its first byte).
    func skipValue(at start: Int) -> Outcome {
        guard start < end else { return .needMore }
        switch base[start] {
        case UInt8(ascii: "\""):
            guard let close = skipString(at: start) else { return .needMore }
            return .end(close)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return skipContainer(at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"):
            // A scalar runs to the next delimiter; the projection checks its spelling.
            var index = start + 1
            while index < end {
                switch base[index] {
                case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09:
                    return .end(index)
                default:
                    index += 1
                }
            }
            return .needMore
        default:
            return .invalid(start)
        }
    }

    /// With `start` on a quote: the offset just after the closing quote, or nil.
    @inline(__always)
    func skipString(at start: Int) -> Int? {
        var index = start + 1
        while true {
            while index &+ 8 <= end {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if StructuralScanner.hasQuoteOrBackslash(word) { break }
                index &+= 8
            }
            guard index < end else { return nil }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            index += byte == UInt8(ascii: "\\") ? 2 : 1
        }
    }

    /// With `start` on `{` or `[`: the offset after the matching close.
    func skipContainer(at start: Int) -> Outcome {
        var depth = 0
        var index = start
        while index < end {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let close = skipString(at: index) else { return .needMore }
                index = close
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return .end(index + 1) }
            default:
                break
            }
            index += 1
        }
        return .needMore
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    static func hasQuoteOrBackslash(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs != 0
    }

    /// Whether the string whose opening quote is at `start` is exactly `"name"`.
    func isKey(at start: Int, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard start + length + 1 < end, base[start + length + 1] == UInt8(ascii: "\"") else { return false }
        for index in 0..<length where base[start + 1 + index] != name.utf8Start[index] { return false }
        return true
    }
}
