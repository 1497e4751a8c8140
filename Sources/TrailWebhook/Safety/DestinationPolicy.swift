import Foundation
package import TrailDelivery

/// Which webhook URLs trailhound may send to: the defence against server-side request forgery
/// through a configured (or tampered) webhook URL.
///
/// A URL passes when it is `https` (or `http` to loopback in test mode), has no user info or
/// fragment, and every address its host resolves to is acceptable:
/// - link-local (`169.254.0.0/16`, `fe80::/10`) and known cloud metadata endpoints
///   (`169.254.169.254`, `fd00:ec2::254`, `100.100.100.200`) are **always** refused: a metadata
///   service answers anyone on the instance with its IAM credentials, and a webhook's response
///   (status and error snippet) would carry them to logs and the status page;
/// - loopback passes with `allowLoopback` (test receivers) or when `refusePrivate` is off;
/// - private, CGNAT, ULA, multicast, unspecified and reserved addresses pass only when
///   `refusePrivate` is off;
/// - public addresses pass.
///
/// Every address must pass, not just one: otherwise a name with one public and one internal
/// address gets through whenever the client picks the internal one. IPv6 forms that embed IPv4
/// (`::ffff:169.254.169.254`) are judged by the IPv4 address inside. The caller pins the first
/// address with ``Destination/dnsOverride``, so what was checked is what is connected to.
package struct DestinationPolicy: Sendable, Hashable {
    /// Allow loopback addresses, and plain `http` when every address is loopback: for test
    /// receivers on this machine.
    package var allowLoopback: Bool
    /// Refuse loopback (unless `allowLoopback`), private, CGNAT, unique-local, multicast,
    /// unspecified and reserved addresses.
    package var refusePrivate: Bool

    /// A policy; the defaults are the production ones: public https destinations only.
    package init(allowLoopback: Bool, refusePrivate: Bool) {
        self.allowLoopback = allowLoopback
        self.refusePrivate = refusePrivate
    }

    /// Checks `url`, resolving its host with the system resolver (``HostResolver``), which blocks.
    ///
    /// - Throws: ``DestinationError`` naming the redacted URL and the problem.
    package func check(url: Secret) throws(DestinationError) -> Destination {
        try check(url: url, resolver: HostResolver.resolve(host:port:))
    }

    /// Checks `url`, resolving its host with `resolver` (tests pass canned answers); IP-literal
    /// hosts are not resolved.
    ///
    /// - Throws: ``DestinationError`` naming the redacted URL and the problem.
    package func check(
        url: Secret,
        resolver: (_ host: String, _ port: Int) throws(HostResolutionError) -> [IPAddress]
    ) throws(DestinationError) -> Destination {
        func fail(_ problem: DestinationError.Problem) -> DestinationError {
            DestinationError(url: url.redacted, problem: problem)
        }
        let text = url.unredactedValue
        guard let parsed = URL(string: text), let rawScheme = parsed.scheme else { throw fail(.malformed) }
        let scheme = rawScheme.lowercased()
        guard scheme == "https" || scheme == "http" else { throw fail(.unsupportedScheme(rawScheme)) }
        if parsed.user(percentEncoded: true) != nil || parsed.password(percentEncoded: true) != nil
            || Self.authority(of: text).contains("@")
        {
            throw fail(.userInfo)
        }
        if parsed.fragment(percentEncoded: true) != nil || text.contains("#") { throw fail(.fragment) }
        guard let host = parsed.host, !host.isEmpty else { throw fail(.missingHost) }
        let port = parsed.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw fail(.invalidPort(port)) }
        // Without test mode plain http can never pass: say so before asking DNS anything.
        if scheme == "http" && !allowLoopback { throw fail(.plainHTTP(allowLoopback: false)) }

        let addresses: [IPAddress]
        let literal: Bool
        if let address = IPAddress(host) {
            addresses = [address]
            literal = true
        } else {
            if let detail = Self.hostNameProblem(host) { throw fail(.invalidHost(host, detail: detail)) }
            do {
                addresses = try resolver(host, port)
            } catch {
                throw fail(.unresolvable(error))
            }
            guard !addresses.isEmpty else {
                throw fail(.unresolvable(HostResolutionError(host: host, code: 0, message: "no addresses")))
            }
            literal = false
        }

        for address in addresses {
            if let refusal = refusal(of: address) {
                throw fail(
                    .refusedAddress(
                        host: host, address: address, literal: literal, count: addresses.count, refusal: refusal))
            }
        }
        if scheme == "http" && !addresses.allSatisfy({ AddressClass($0) == .loopback }) {
            throw fail(.plainHTTP(allowLoopback: true))
        }

        var target = parsed.path(percentEncoded: true)
        if target.isEmpty { target = "/" }
        if let query = parsed.query(percentEncoded: true) { target += "?" + query }
        return Destination(
            url: url, scheme: scheme, host: host, port: port, requestTarget: Secret(target), addresses: addresses,
            isIPLiteral: literal)
    }

    /// Whether this policy lets a webhook connect to `address`.
    package func allows(_ address: IPAddress) -> Bool {
        refusal(of: address) == nil
    }

    /// The rule that refuses `address`, or nil when it is acceptable.
    package func refusal(of address: IPAddress) -> DestinationError.Refusal? {
        let addressClass = AddressClass(address)
        if addressClass == .linkLocal || address.isCloudMetadata { return .alwaysRefused }
        switch addressClass {
        case .public:
            return nil
        case .loopback:
            return allowLoopback || !refusePrivate ? nil : .loopbackNotAllowed
        default:
            return refusePrivate ? .notPublic : nil
        }
    }

    /// The authority part of a URL string: between `//` and the first `/`, `?` or `#`.
    ///
    /// Checked for `@` besides the parser's `user`, so that even an empty user info (`https://@host`)
    /// is refused.
    private static func authority(of text: String) -> Substring {
        guard let start = text.range(of: "//") else { return "" }
        let rest = text[start.upperBound...]
        return rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    }

    /// Why `host` is not an acceptable host name, or nil when it is one: ASCII letters, digits,
    /// `-` and `_` in dot-separated labels (a final dot allowed). Digits-and-dots names that are
    /// not dotted quads (`127.1`, `2130706433`) are refused as malformed IPv4, since resolvers
    /// read them as addresses.
    private static func hostNameProblem(_ host: String) -> String? {
        if host.contains("%") { return "zone identifiers and percent-encoding are not supported" }
        if host.contains(":") { return "an IPv6 address that does not parse" }
        guard host.utf8.count <= 253 else { return "longer than 253 characters" }
        if host.allSatisfy({ $0.isNumber || $0 == "." }) { return "a malformed IPv4 address" }
        let name = host.hasSuffix(".") ? host.dropLast() : Substring(host)
        let labelsValid = name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && (Self.hostNameScalars.contains($0)) }
        }
        return labelsValid ? nil : "only letters, digits, `-` and `_` in dot-separated labels are allowed"
    }

    private static let hostNameScalars = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
}
