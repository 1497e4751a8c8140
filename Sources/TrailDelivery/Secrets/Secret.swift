import Crypto
import Foundation

/// A credential (webhook URL, routing key, HMAC secret) that never prints its value.
///
/// Webhook URLs are bearer credentials: Slack's `/services/T/B/<secret>`, Discord's
/// `/webhooks/<id>/<token>`, Teams Workflows' `?sig=…`. Wrapping them makes every accidental path
/// to a log line, a `STATUS=` string, a metrics label or a crash dump (`description`,
/// `debugDescription`, string interpolation, `dump`, `Mirror`) show only ``redacted``: scheme,
/// host and port for a URL, and otherwise nothing but an 8-hex SHA-256 fingerprint, which lets an
/// operator tell two secrets apart without seeing either. Only ``unredactedValue`` reveals the
/// value; grep for it in review.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself: pass it to the HTTP client or the HMAC, never to a log.
    package let unredactedValue: String
    /// The first 8 hex digits of the SHA-256 of the whole value.
    package let fingerprint: String

    /// Wraps `value`.
    package init(_ value: String) {
        self.unredactedValue = value
        self.fingerprint = Self.fingerprint(of: value)
    }

    /// The printable form: `scheme://host[:port]/…#1a2b3c4d` for an absolute URL (path, query and
    /// user info withheld, since any of them may carry the credential), `<redacted #1a2b3c4d>`
    /// for anything else.
    package var redacted: String {
        if let origin = Self.origin(of: unredactedValue) {
            return "\(origin)/…#\(fingerprint)"
        }
        return "<redacted #\(fingerprint)>"
    }

    /// The same as ``redacted``, so `"\(secret)"` and `print(secret)` are safe.
    package var description: String { redacted }

    /// `Secret(<redacted form>)`, so `String(reflecting:)` and debugger summaries are safe.
    package var debugDescription: String { "Secret(\(redacted))" }

    /// A mirror with only the redacted form, so `dump(_:)` and reflection-based loggers are safe.
    package var customMirror: Mirror {
        Mirror(self, children: ["redacted": redacted], displayStyle: .struct)
    }

    /// `scheme://host[:port]` of an absolute URL with a host, or nil when `value` is not one.
    ///
    /// Built from the parsed components rather than by cutting the string, so user info
    /// (`user:pass@`) and anything after the authority never leak.
    package static func origin(of value: String) -> String? {
        guard let url = URL(string: value), let scheme = url.scheme, let host = url.host, !host.isEmpty else {
            return nil
        }
        // Host characters outside a conservative set could be someone's secret pasted in the
        // wrong field; show them as a fingerprint instead.
        guard host.unicodeScalars.allSatisfy({ $0.isASCII && (Self.hostScalars.contains($0)) }) else { return nil }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(scheme.lowercased())://\(shownHost)\(port)"
    }

    private static let hostScalars = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:")

    private static func fingerprint(of value: String) -> String {
        let digest = SHA256.hash(data: Array(value.utf8))
        return digest.prefix(4).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
