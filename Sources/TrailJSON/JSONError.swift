/// Why a JSON text was rejected, and where.
///
/// `offset` is the byte offset of the problem in the buffer that was scanned; callers that know
/// the file add the path (and, for JSON Lines, the line).
package struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of problem, stable enough to test against.
    package enum Kind: String, Sendable, Hashable {
        case unexpectedEnd
        case unexpectedByte
        case invalidEscape
        case unpairedSurrogate
        case controlCharacterInString
        case invalidUTF8
        case invalidNumber
        case tooDeep
        case recordTooLarge
        case trailingContent
    }

    package var kind: Kind
    /// Byte offset of the offending byte (or of the end of input).
    package var offset: Int
    /// What the scanner expected at `offset`, as a phrase ("`,` or `}` after an object member").
    package var expected: String
    /// What it found instead, as a phrase ("`x`", "byte 0xFF", "end of input").
    package var found: String

    package init(_ kind: Kind, at offset: Int, expected: String, found: String) {
        self.kind = kind
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    /// What went wrong in two or three words: the text is not JSON, or it is JSON beyond a limit.
    package var summary: String {
        switch kind {
        case .tooDeep, .recordTooLarge: "JSON over a limit"
        default: "invalid JSON"
        }
    }

    package var description: String {
        "\(summary) at byte \(offset): expected \(expected), found \(found)"
    }

    /// Describes the byte at `offset` for an error message.
    package static func describeByte(at offset: Int, in base: UnsafePointer<UInt8>, count: Int) -> String {
        guard offset < count else { return "end of input" }
        let byte = base[offset]
        if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
        switch byte {
        case 0x20: return "a space"
        case 0x0A: return "a newline"
        case 0x09: return "a tab"
        case 0x0D: return "a carriage return"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
        }
    }
}
