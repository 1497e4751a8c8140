/// Why a webhook URL was refused: the URL in redacted form and what is wrong with it.
///
/// Rendered as one line that says what (the refused URL, redacted), why (the problem, with the
/// offending address and its class) and how to fix it where that is known:
/// `refused webhook URL https://hooks.example/…#1a2b3c4d: hooks.example resolves to
/// 169.254.169.254, a link-local address (cloud metadata); …`.
package struct DestinationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with a URL.
    package enum Problem: Sendable, Hashable {
        /// Not an absolute URL at all.
        case malformed
        /// A scheme other than `https` (or `http` to loopback in test mode).
        case unsupportedScheme(String)
        /// `user:password@` before the host.
        case userInfo
        /// A `#fragment`.
        case fragment
        /// No host, as in `https:///path`.
        case missingHost
        /// A host that is neither a host name nor an IP literal; `detail` says why.
        case invalidHost(String, detail: String)
        /// A port outside 1–65535.
        case invalidPort(Int)
        /// `http` where only `https` is allowed; `allowLoopback` tells which rule applied.
        case plainHTTP(allowLoopback: Bool)
        /// The host name did not resolve.
        case unresolvable(HostResolutionError)
        /// `host` (a name, or an IP literal when `literal`) has `address`, which the policy refuses;
        /// `count` is how many addresses the name has.
        case refusedAddress(host: String, address: IPAddress, literal: Bool, count: Int, refusal: Refusal)
    }

    /// Which rule refused an address.
    package enum Refusal: Sendable, Hashable {
        /// Link-local or a cloud metadata endpoint: refused whatever the options say.
        case alwaysRefused
        /// Loopback without `allowLoopback` (and with `refusePrivate`).
        case loopbackNotAllowed
        /// A non-public address while `refusePrivate` is on.
        case notPublic
    }

    /// The refused URL, redacted (see ``Secret/redacted``).
    package var url: String
    /// What is wrong with it.
    package var problem: Problem

    /// An error for the redacted `url`.
    package init(url: String, problem: Problem) {
        self.url = url
        self.problem = problem
    }

    /// One line: `refused webhook URL URL: WHY; FIX`.
    package var description: String {
        "refused webhook URL \(url): \(explanation)"
    }

    private var explanation: String {
        switch problem {
        case .malformed:
            return "not an absolute URL; write it as https://HOST/PATH"
        case .unsupportedScheme(let scheme):
            return "the scheme `\(scheme)` is not supported; use https"
        case .userInfo:
            return "it carries user info (`user:password@` before the host), which leaks into logs and is a classic "
                + "trick to disguise the real host; remove it and authenticate as the provider documents"
        case .fragment:
            return "it has a `#fragment`, which is never sent and usually means a URL copied from a browser; remove it"
        case .missingHost:
            return "it has no host"
        case .invalidHost(let host, let detail):
            return "the host `\(host)` is not a valid host name or IP address (\(detail))"
        case .invalidPort(let port):
            return "the port \(port) is not a number from 1 to 65535"
        case .plainHTTP(let allowLoopback):
            if allowLoopback {
                return "plain http is allowed only when every address of the host is loopback; use https"
            }
            return
                "plain http is refused (it is allowed only to loopback with `allow_loopback: true`, for tests); use https"
        case .unresolvable(let error):
            return "\(error); check the host name and this machine's DNS"
        case .refusedAddress(let host, let address, let literal, let count, let refusal):
            let addressClass = AddressClass(address)
            let metadata = address.isCloudMetadata ? " (cloud metadata)" : ""
            let what: String
            if literal {
                let shown = host == address.description ? host : "\(host) (\(address))"
                what = "\(shown) is \(addressClass)\(metadata)"
            } else {
                let among = count > 1 ? " (one of its \(count) addresses)" : ""
                what = "\(host) resolves to \(address)\(among), \(addressClass)\(metadata)"
            }
            switch refusal {
            case .alwaysRefused:
                return "\(what); link-local and cloud metadata addresses are always refused, because metadata "
                    + "services there hand out instance credentials"
            case .loopbackNotAllowed:
                return "\(what); loopback is refused unless `allow_loopback: true` is set (for tests)"
            case .notPublic:
                return "\(what); non-public addresses are refused while refusePrivate is on (turn it off only if "
                    + "this internal destination is intended)"
            }
        }
    }
}
