import Crypto
package import TrailDelivery

/// Signs webhook bodies the GitHub way: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`.
///
/// For receivers built for GitHub webhooks. The HMAC key is the secret's UTF-8 text as written
/// (unlike Standard Webhooks, nothing is decoded or trimmed, because GitHub uses the text), and
/// only the body is signed: there is no timestamp, so receivers cannot refuse replays.
package struct GitHubSigner: WebhookSigner, CustomStringConvertible, CustomReflectable {
    /// The header GitHub-style receivers read.
    package static let headerName = "X-Hub-Signature-256"

    // The key bytes, not a `SymmetricKey`, which is not `Sendable` in swift-crypto 3.
    private let key: [UInt8]
    private let redactedSecret: String

    /// A signer for `secret`, used as UTF-8 bytes.
    ///
    /// - Throws: ``SigningSecretError/empty`` for an empty secret.
    package init(secret: Secret) throws(SigningSecretError) {
        guard !secret.unredactedValue.isEmpty else { throw .empty }
        self.key = Array(secret.unredactedValue.utf8)
        self.redactedSecret = secret.redacted
    }

    /// `X-Hub-Signature-256` for `body`; `id` and `timestamp` are not part of this scheme.
    package func headers(id: String, timestamp: Int, body: [UInt8]) -> [(String, String)] {
        [(Self.headerName, signature(body: body))]
    }

    /// `sha256=<lowercase hex HMAC-SHA256(secret, body)>`.
    package func signature(body: [UInt8]) -> String {
        "sha256=" + Self.hex(mac(body))
    }

    /// Checks an `X-Hub-Signature-256` header value against `body`, in constant time (hex digits
    /// compared case-insensitively).
    ///
    /// - Throws: ``SignatureVerificationError/noSignature`` without a `sha256=` prefix,
    ///   ``SignatureVerificationError/mismatch(count:)`` when it does not match.
    package func verify(signature header: String, body: [UInt8]) throws(SignatureVerificationError) {
        guard header.hasPrefix("sha256=") else { throw .noSignature }
        let given = Array(header.dropFirst("sha256=".count).lowercased().utf8)
        let expected = Array(Self.hex(mac(body)).utf8)
        guard ConstantTime.equals(given, expected) else { throw .mismatch(count: 1) }
    }

    /// `GitHubSigner(<redacted #1a2b3c4d>)`: the secret's fingerprint, never the secret.
    package var description: String { "GitHubSigner(\(redactedSecret))" }

    /// A mirror without the key, so `dump(_:)` is safe.
    package var customMirror: Mirror {
        Mirror(self, children: ["secret": redactedSecret], displayStyle: .struct)
    }

    private func mac(_ body: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: key)))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
