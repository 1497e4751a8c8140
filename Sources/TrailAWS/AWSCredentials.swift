package import Foundation

/// An AWS access key pair, with the session token and expiry of temporary credentials. Its
/// description names the key id only: a secret must never reach a log line or an error.
package struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    package var accessKeyID: String
    package var secretAccessKey: String
    /// Present for temporary credentials (STS, web identity, containers, instance profiles).
    package var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    package var expiration: Date?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    package var description: String {
        "credentials \(accessKeyID) (secret \(secretAccessKey.isEmpty ? "empty" : "redacted")"
            + (sessionToken == nil ? "" : ", session token redacted")
            + (expiration.map { ", expire \(ISO8601DateFormatter().string(from: $0))" } ?? "") + ")"
    }
}
