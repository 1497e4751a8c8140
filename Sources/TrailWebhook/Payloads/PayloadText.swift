/// Text rules every payload format shares: cutting to a provider's character limit, escaping
/// within that limit, and making record values safe to show on one line.
///
/// Providers state their limits in "characters". We count Unicode scalars
/// (`String.unicodeScalars.count`): never fewer than the grapheme clusters a person sees, so a
/// text within N scalars is within N characters for a provider that counts either. Cuts happen
/// only between grapheme clusters, so an emoji or an accented letter is never split in half.
package enum PayloadText {
    /// What a cut text ends with, so that a reader sees it was cut (one scalar).
    package static let ellipsis = "…"

    /// The length of `text` as limits count it: Unicode scalars.
    package static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// `text` unchanged if it has at most `limit` scalars, otherwise its longest prefix of whole
    /// grapheme clusters that leaves room for `…`, followed by `…`; the result never exceeds `limit`.
    package static func truncate(_ text: String, to limit: Int) -> String {
        // UTF-8 bytes are never fewer than scalars, so short texts skip the scalar count.
        if text.utf8.count <= limit || length(text) <= limit { return text }
        return escape(text, to: limit) { _ in nil }
    }

    /// `text` with each scalar replaced by what `escape` returns for it (nil keeps it), cut so
    /// that the escaped result has at most `limit` scalars. An escape sequence is never split:
    /// the cut falls between the escaped forms of whole grapheme clusters.
    package static func escape(
        _ text: String, to limit: Int, using escape: (Unicode.Scalar) -> String?
    ) -> String {
        func escaped(_ scalars: some Sequence<Unicode.Scalar>) -> String {
            var result = ""
            for scalar in scalars {
                if let replacement = escape(scalar) {
                    result += replacement
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
        let whole = escaped(text.unicodeScalars)
        if length(whole) <= limit { return whole }
        var kept = ""
        var count = 0
        for character in text {
            let piece = escaped(character.unicodeScalars)
            let width = length(piece)
            if count + width > limit - 1 { break }
            kept += piece
            count += width
        }
        return limit > 0 ? kept + ellipsis : ""
    }

    /// A record value made safe for one line of a chat message: tabs and line breaks become
    /// spaces; other control characters and bidirectional overrides become `�`, so a record
    /// cannot reorder or hide the text around it ("Trojan Source") or break the layout.
    package static func oneLine(_ text: String) -> String {
        sanitized(text, keepingNewlines: false)
    }

    /// Like `oneLine`, but line breaks stay (for a paragraph an operator's template writes).
    package static func paragraph(_ text: String) -> String {
        sanitized(text, keepingNewlines: true)
    }

    /// `text` without leading and trailing whitespace (spaces, tabs, line breaks).
    package static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    private static func sanitized(_ text: String, keepingNewlines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { replacement(for: $0, keepingNewlines: keepingNewlines) != nil })
        else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(replacement(for: scalar, keepingNewlines: keepingNewlines) ?? scalar)
        }
        return String(result)
    }

    private static func replacement(for scalar: Unicode.Scalar, keepingNewlines: Bool) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x0A where keepingNewlines: return nil
        case 0x09, 0x0A, 0x0D, 0x2028, 0x2029: return " "
        case 0x00..<0x20, 0x7F..<0xA0: return "\u{FFFD}"
        // Bidirectional embeddings, overrides, isolates and marks.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return "\u{FFFD}"
        default: return nil
        }
    }
}
