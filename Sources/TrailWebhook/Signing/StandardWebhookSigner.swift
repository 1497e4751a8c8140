import Crypto
import Foundation
package import TrailDelivery

/// Signs webhook bodies the Standard Webhooks way (v1.0.0), the scheme our generic JSON sink uses.
///
/// Each request carries `webhook-id` (the alert id, stable across retries, so receivers can
/// deduplicate), `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>`
/// over `{id}.{timestamp}.{body}`. The secret is `whsec_` plus base64 of 24–64 random bytes, and the
/// HMAC key is the decoded bytes (not the text). Receivers (our test receiver via ``verify(id:timestamp:signatures:body:now:tolerance:)``)
/// accept any of several space-separated signatures, which allows key rotation, compare in constant
/// time and refuse timestamps more than 5 minutes off.
///
/// The key never prints: `description` and reflection show the secret's fingerprint only.
package struct StandardWebhookSigner: WebhookSigner, CustomStringConvertible, CustomReflectable {
    /// The prefix of a Standard Webhooks secret.
    package static let secretPrefix = "whsec_"
    /// The shortest decoded key the spec allows, in bytes.
    package static let minimumKeyLength = 24
    /// The receivers' default clock tolerance, in seconds (the reference libraries use 5 minutes).
    package static let defaultTolerance = 300

    // The key bytes, not a `SymmetricKey`, which is not `Sendable` in swift-crypto 3.
    private let key: [UInt8]
    private let redactedSecret: String

    /// A signer for `secret`, a `whsec_<base64>` string. Surrounding whitespace (a credential
    /// file's final newline) is ignored; base64 padding may be omitted. Keys longer than 64 bytes
    /// are accepted, as the reference libraries do.
    ///
    /// - Throws: ``SigningSecretError`` for a missing prefix, bad base64 or a key under 24 bytes,
    ///   naming the secret only by its fingerprint.
    package init(secret: Secret) throws(SigningSecretError) {
        let redacted = secret.redacted
        let text = secret.unredactedValue.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(Self.secretPrefix) else { throw .missingPrefix(secret: redacted) }
        var encoded = String(text.dropFirst(Self.secretPrefix.count))
        if encoded.utf8.count % 4 != 0 {
            encoded += String(repeating: "=", count: 4 - encoded.utf8.count % 4)
        }
        guard let decoded = Data(base64Encoded: encoded) else { throw .invalidBase64(secret: redacted) }
        guard decoded.count >= Self.minimumKeyLength else { throw .tooShort(secret: redacted, bytes: decoded.count) }
        self.key = Array(decoded)
        self.redactedSecret = redacted
    }

    /// `webhook-id`, `webhook-timestamp` and `webhook-signature` for `body` sent as `id` at `timestamp`.
    package func headers(id: String, timestamp: Int, body: [UInt8]) -> [(String, String)] {
        [
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }

    /// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.
    package func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        "v1," + Data(mac(id: id, timestamp: String(timestamp), body: body)).base64EncodedString()
    }

    /// Checks a received request: `timestamp` and `signatures` are the `webhook-timestamp` and
    /// `webhook-signature` header values, `now` the receiver's clock in Unix seconds.
    ///
    /// Passes when the timestamp is within `tolerance` seconds of `now` (either side) and any
    /// `v1,` entry of the space-separated list matches; entries of other versions are ignored.
    ///
    /// - Throws: ``SignatureVerificationError`` naming the check that failed.
    package func verify(
        id: String, timestamp: String, signatures: String, body: [UInt8], now: Int,
        tolerance: Int = StandardWebhookSigner.defaultTolerance
    ) throws(SignatureVerificationError) {
        guard !timestamp.isEmpty, timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int(timestamp)
        else {
            throw .invalidTimestamp(timestamp)
        }
        guard abs(now - seconds) <= tolerance else {
            throw .timestampOutsideTolerance(timestamp: seconds, now: now, tolerance: tolerance)
        }
        let candidates = signatures.split(separator: " ").compactMap { entry -> [UInt8]? in
            guard entry.hasPrefix("v1,") else { return nil }
            return Data(base64Encoded: String(entry.dropFirst(3))).map { Array($0) }
        }
        guard !candidates.isEmpty else { throw .noSignature }
        let expected = mac(id: id, timestamp: timestamp, body: body)
        // Compare against every candidate, not stopping at a match, so timing does not reveal
        // which rotated key matched.
        var matched = false
        for candidate in candidates where ConstantTime.equals(candidate, expected) { matched = true }
        guard matched else { throw .mismatch(count: candidates.count) }
    }

    /// `StandardWebhookSigner(<redacted #1a2b3c4d>)`: the secret's fingerprint, never the key.
    package var description: String { "StandardWebhookSigner(\(redactedSecret))" }

    /// A mirror without the key, so `dump(_:)` is safe.
    package var customMirror: Mirror {
        Mirror(self, children: ["secret": redactedSecret], displayStyle: .struct)
    }

    private func mac(id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var content = Array(id.utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: timestamp.utf8)
        content.append(UInt8(ascii: "."))
        content.append(contentsOf: body)
        return Array(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key)))
    }
}
