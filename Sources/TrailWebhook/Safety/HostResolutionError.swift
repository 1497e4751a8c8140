#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a host name did not resolve: the name and the resolver's own message.
package struct HostResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name that was looked up.
    package var host: String
    /// The `getaddrinfo` result code (`EAI_*`), or 0 when the resolver succeeded with no usable address.
    package var code: Int32
    /// The resolver's explanation (`gai_strerror`, or `strerror` for `EAI_SYSTEM`).
    package var message: String

    /// An error for `host`.
    package init(host: String, code: Int32, message: String) {
        self.host = host
        self.code = code
        self.message = message
    }

    /// Whether trying again later may succeed (`EAI_AGAIN`: the DNS server did not answer in time),
    /// as opposed to a name that does not exist.
    package var isTransient: Bool { code == EAI_AGAIN }

    /// One line: `cannot resolve "HOST": MESSAGE`.
    package var description: String {
        "cannot resolve \"\(host)\": \(message)"
    }
}
