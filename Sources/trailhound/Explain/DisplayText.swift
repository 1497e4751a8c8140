/// Text from records made safe and short for one line of a terminal.
///
/// A record is attacker-controlled input: a value holding a newline could forge a line of the
/// explanation ("record 7: no match"), an escape sequence could rewrite the screen, and a
/// bidirectional override could reorder what is shown. Every such character is spelled out as an
/// escape, so what is printed is one line that reads as what the record holds.
enum DisplayText {
    /// How many characters of a value are shown in text output before it is cut.
    static let valueLimit = 96

    /// `text` in double quotes, escaped, cut to `limit` characters with `…` (and the full length
    /// in bytes) when longer.
    static func quoted(_ text: String, limit: Int = valueLimit) -> String {
        let (body, cut) = escaped(text, quote: true, limit: limit)
        return "\"" + body + "\"" + (cut ? "… (\(text.utf8.count) bytes)" : "")
    }

    /// `text` escaped but not quoted, cut to `limit` characters with `…` (JSON text of objects).
    static func excerpt(_ text: String, limit: Int) -> String {
        let (body, cut) = escaped(text, quote: false, limit: limit)
        return cut ? body + "…" : body
    }

    /// `text` escaped but not quoted (file names, pattern text), never cut.
    static func plain(_ text: String) -> String {
        escaped(text, quote: false, limit: .max).text
    }

    /// `text` with every unsafe scalar escaped, cut between characters once `limit` characters of
    /// output are reached; whether it was cut.
    private static func escaped(_ text: String, quote: Bool, limit: Int) -> (text: String, cut: Bool) {
        var result = ""
        var length = 0
        for character in text {
            var piece = ""
            for scalar in character.unicodeScalars { piece += escape(scalar, quote: quote) ?? String(scalar) }
            let width = piece.unicodeScalars.count
            if length + width > limit { return (result, true) }
            result += piece
            length += width
        }
        return (result, false)
    }

    /// The escape for a scalar that must not reach a terminal as is, or nil.
    private static func escape(_ scalar: Unicode.Scalar, quote: Bool) -> String? {
        switch scalar.value {
        case 0x22 where quote: return "\\\""
        case 0x5C where quote: return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        // C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional marks,
        // embeddings, overrides and isolates ("Trojan Source").
        case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        default: return nil
        }
    }
}
