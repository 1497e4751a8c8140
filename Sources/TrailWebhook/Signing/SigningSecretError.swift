/// Why a signing secret from the configuration cannot be used; names the secret only redacted.
package enum SigningSecretError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A Standard Webhooks secret without the `whsec_` prefix.
    case missingPrefix(secret: String)
    /// A Standard Webhooks secret whose part after `whsec_` is not base64.
    case invalidBase64(secret: String)
    /// A Standard Webhooks key that decodes to fewer than 24 bytes.
    case tooShort(secret: String, bytes: Int)
    /// An empty secret: anyone could compute the signature.
    case empty

    /// One line: what is wrong with which (redacted) secret, and how to make a good one.
    package var description: String {
        let generate = "generate one with: echo \"whsec_$(openssl rand -base64 32)\""
        switch self {
        case .missingPrefix(let secret):
            return "invalid webhook signing secret \(secret): it does not start with `whsec_`; a Standard Webhooks "
                + "secret is whsec_ followed by base64 of 24–64 random bytes (\(generate))"
        case .invalidBase64(let secret):
            return "invalid webhook signing secret \(secret): the part after `whsec_` is not valid base64; "
                + "copy it again or \(generate)"
        case .tooShort(let secret, let bytes):
            return "invalid webhook signing secret \(secret): it decodes to \(bytes) bytes, fewer than the 24 "
                + "the Standard Webhooks spec requires; \(generate)"
        case .empty:
            return "invalid webhook signing secret: it is empty, so anyone could sign; \(generate)"
        }
    }
}
