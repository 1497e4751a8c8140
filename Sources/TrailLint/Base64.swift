/// Standard base64 (RFC 4648), decoding only: how the embedded catalogue is written into a
/// string literal. Kept here because the module imports nothing but the stdlib and zlib.
enum Base64 {
    /// The bytes `text` encodes; line breaks are skipped. Nil for any other character out of
    /// the alphabet, or a length that is not a whole number of groups.
    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count / 4 * 3)
        var group: UInt32 = 0
        var count = 0
        var padding = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                value = 0
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            default: return nil
            }
            guard padding == 0 || byte == UInt8(ascii: "=") else { return nil }  // nothing after `=`
            group = group << 6 | value
            count += 1
            if count == 4 {
                output += [
                    UInt8(truncatingIfNeeded: group >> 16), UInt8(truncatingIfNeeded: group >> 8),
                    UInt8(truncatingIfNeeded: group),
                ]
                count = 0
                group = 0
            }
        }
        guard count == 0, padding <= 2 else { return nil }
        output.removeLast(padding)
        return output
    }
}
