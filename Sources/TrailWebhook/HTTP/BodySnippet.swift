import Foundation
import TrailDelivery

/// Turns a response body into a short, single-line, URL-free excerpt for a delivery reason.
///
/// Error bodies are the operator's best clue (`channel_is_archived`, `Unknown Webhook`), but they
/// are untrusted: they may be long, span lines, hold control characters or echo URLs with
/// credentials in them. The excerpt keeps the gist (a JSON error's `message`/`error`/`errors`, an
/// HTML page's `<title>`, else the text), redacts every `http(s)://` URL to its ``Secret/redacted``
/// form, turns control characters into spaces, collapses whitespace and cuts at a limit.
package enum BodySnippet {
    /// The default excerpt length, in characters.
    package static let defaultLimit = 160

    /// The gist of `body` in at most `limit` characters (plus `…` when cut); empty for an empty body.
    package static func summarize(_ body: [UInt8], limit: Int = BodySnippet.defaultLimit) -> String {
        let text = String(decoding: body, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{"), let gist = jsonGist(body) {
            return sanitize(gist, limit: limit)
        }
        if trimmed.hasPrefix("<"), let title = htmlTitle(trimmed) {
            return sanitize(title, limit: limit)
        }
        return sanitize(trimmed, limit: limit)
    }

    /// `text` as one line of at most `limit` characters (plus `…` when cut), URLs redacted,
    /// control characters turned into spaces, runs of whitespace collapsed.
    package static func sanitize(_ text: String, limit: Int) -> String {
        var line = ""
        var pendingSpace = false
        for character in redactingURLs(in: text) {
            let isSpace =
                character.isWhitespace
                || character.unicodeScalars.contains {
                    $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                }
            if isSpace {
                pendingSpace = !line.isEmpty
                continue
            }
            if pendingSpace {
                line.append(" ")
                pendingSpace = false
            }
            line.append(character)
            if line.count > limit { break }
        }
        guard line.count > limit else { return line }
        return String(line.prefix(limit)) + "…"
    }

    /// Every `http://` or `https://` URL in `text` replaced by its redacted form.
    private static func redactingURLs(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "http", options: .caseInsensitive) {
            let candidate = rest[start.lowerBound...]
            let lowered = candidate.prefix(8).lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else {
                result += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
                continue
            }
            result += rest[..<start.lowerBound]
            let url = candidate.prefix { !$0.isWhitespace && !"\"'<>`".contains($0) }
            result += Secret(String(url)).redacted
            rest = candidate[url.endIndex...]
        }
        return result + rest
    }

    /// `message (code N): errors` from a JSON error object (Discord, PagerDuty, most APIs), or nil.
    private static func jsonGist(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        var parts: [String] = []
        for key in ["message", "error", "error_description", "status"] {
            if let value = object[key] as? String, !value.isEmpty, !parts.contains(value) { parts.append(value) }
        }
        var gist = parts.joined(separator: ": ")
        if let code = object["code"] as? Int { gist += " (code \(code))" }
        if let errors = object["errors"] as? [Any] {
            let texts = errors.compactMap { $0 as? String }
            if !texts.isEmpty { gist += (gist.isEmpty ? "" : ": ") + texts.joined(separator: "; ") }
        }
        return gist.isEmpty ? nil : gist
    }

    /// The text of an HTML document's `<title>`, or nil.
    private static func htmlTitle(_ html: String) -> String? {
        guard let open = html.range(of: "<title>", options: .caseInsensitive),
            let close = html.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<html.endIndex)
        else { return nil }
        let title = html[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty ? nil : title
    }
}
