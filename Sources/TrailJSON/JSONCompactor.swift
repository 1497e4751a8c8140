/// Removes the whitespace between tokens of a valid JSON text, leaving strings untouched.
///
/// CloudWatch Logs sees a CloudTrail record as one compact line, so raw-text patterns (terms and
/// standalone regexes) and `trailhound match` output use this form whatever the input's layout.
package enum JSONCompactor {
    /// Appends the compact form of `text` (already validated) to `output`; returns whether any
    /// whitespace was removed.
    @discardableResult
    package static func compact(_ text: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Bool {
        var inString = false
        var escaped = false
        var removed = false
        for byte in text {
            if inString {
                output.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                removed = true
            case UInt8(ascii: "\""):
                inString = true
                output.append(byte)
            default:
                output.append(byte)
            }
        }
        return removed
    }
}
