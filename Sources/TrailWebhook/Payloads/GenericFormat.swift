package import TrailRules

/// The alert as plain JSON, for a generic (Standard Webhooks signed) receiver: exactly the
/// alert's `jsonLine`, the line `trailhound` writes to stdout, so a receiver parses one schema
/// wherever alerts come from.
///
/// A digest is likewise the digest's `jsonLine`: `{"type":"digest","id":…,"rule":…,"title":…,
/// "severity":…,"count":…,"firstEventTime":…,"lastEventTime":…,"accounts":[…],"regions":[…],
/// "principals":[…],"alerts":[…]}`, each shown alert's `jsonLine` spliced in as is and absent
/// times left out. Nothing is cut: a generic receiver gets whole records (Standard Webhooks
/// advises keeping bodies under 20 KB; a receiver that wants less should use a chat format).
package struct GenericFormat: WebhookFormat {
    /// The generic JSON format.
    package init() {}

    /// The alert's `jsonLine`, byte for byte.
    package func render(_ alert: Alert) -> [UInt8] { Array(alert.jsonLine.utf8) }

    /// The digest's `jsonLine`, byte for byte.
    package func render(_ digest: AlertDigest) -> [UInt8] { Array(digest.jsonLine.utf8) }
}
