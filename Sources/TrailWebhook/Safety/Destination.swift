package import TrailDelivery

/// A webhook URL that passed ``DestinationPolicy``, with the address to connect to.
///
/// Hand ``dnsOverride`` to AsyncHTTPClient (`HTTPClient.Configuration.dnsOverride`): it connects
/// to ``pinnedAddress`` while keeping `Host` and TLS SNI as the name, so a DNS answer that changes
/// after the check (DNS rebinding) cannot redirect the request. Re-check on reload or on a timer
/// to follow legitimate DNS changes.
package struct Destination: Sendable, Hashable, CustomStringConvertible {
    /// The URL as configured.
    package var url: Secret
    /// `https`, or `http` for a loopback test receiver.
    package var scheme: String
    /// The host exactly as the HTTP client sees it (`URL.host`: IPv6 without brackets); the key for
    /// ``dnsOverride``.
    package var host: String
    /// The port: explicit, or 443 for https and 80 for http.
    package var port: Int
    /// The request target, path plus `?query` as sent on the request line (`/` when empty). A
    /// secret: Slack and Discord keep their credential in the path, Teams in the query.
    package var requestTarget: Secret
    /// Every address the host has (just the literal for an IP host), each accepted by the policy.
    package var addresses: [IPAddress]
    /// Whether the host is an IP literal, so no resolution (and no override) is involved.
    package var isIPLiteral: Bool

    /// A checked destination.
    package init(
        url: Secret, scheme: String, host: String, port: Int, requestTarget: Secret, addresses: [IPAddress],
        isIPLiteral: Bool
    ) {
        self.url = url
        self.scheme = scheme
        self.host = host
        self.port = port
        self.requestTarget = requestTarget
        self.addresses = addresses
        self.isIPLiteral = isIPLiteral
    }

    /// The address to connect to: the resolver's first (most preferred) address.
    package var pinnedAddress: IPAddress { addresses[0] }

    /// `[host: pinned address]` for AsyncHTTPClient's `dnsOverride`; empty for an IP literal host.
    package var dnsOverride: [String: String] {
        isIPLiteral ? [:] : [host: pinnedAddress.description]
    }

    /// The redacted URL and the pinned address: `https://hooks.slack.com/…#1a2b3c4d via 203.0.113.7`.
    package var description: String {
        "\(url.redacted) via \(pinnedAddress)"
    }
}
