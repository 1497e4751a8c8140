#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `HOST:PORT` to listen on, parsed from configuration: `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`.
///
/// IPv6 literals need brackets, since their colons would be ambiguous with the port's. The host
/// is kept as written (brackets removed) and handed to the socket layer to resolve. ``isLoopback``
/// lets the caller warn when metrics would be reachable from other hosts: the endpoint has no
/// authentication and reveals rule ids and alert rates.
package struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host: an IPv4 or IPv6 literal (without brackets) or a host name.
    package var host: String
    /// The TCP port, 1–65535.
    package var port: Int

    /// A parsed address for `host` and `port`, as they are.
    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`.
    ///
    /// - Throws: ``ListenAddressError`` naming `text` and what is wrong with it.
    package init(parsing text: String) throws(ListenAddressError) {
        func fail(_ reason: String) -> ListenAddressError { ListenAddressError(input: text, reason: reason) }
        let expected = "expected HOST:PORT such as 127.0.0.1:9464, [::1]:9464 or localhost:9464"

        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail("missing `]` after the IPv6 address") }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.first == ":" else { throw fail("missing `:PORT` after `]`; \(expected)") }
            portPart = rest.dropFirst()
            guard Self.isIPv6(String(hostPart)) else { throw fail("`\(hostPart)` is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw fail("no port; \(expected)") }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") {
                throw fail("an IPv6 address needs brackets, as in [\(hostPart)]:\(portPart)")
            }
            guard !hostPart.isEmpty else {
                throw fail("no host; use 127.0.0.1:\(portPart) for this machine only, or 0.0.0.0:\(portPart) for all")
            }
            guard Self.isIPv4(String(hostPart)) || Self.isHostName(hostPart) else {
                throw fail("`\(hostPart)` is neither an IPv4 address nor a host name")
            }
        }
        guard let port = Int(portPart), (1...65535).contains(port) else {
            throw fail("the port `\(portPart)` is not a number from 1 to 65535")
        }
        self.init(host: String(hostPart), port: port)
    }

    /// Whether only this machine can connect: `localhost`, `127.0.0.0/8` or `::1`.
    package var isLoopback: Bool {
        let name = host.lowercased()
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            // s_addr is in network byte order: the first octet is the lowest byte in memory.
            return withUnsafeBytes(of: &v4) { $0[0] } == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            // ::ffff:127.x.x.x, the IPv4-mapped form of a loopback address.
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        }
        return false
    }

    /// `HOST:PORT`, with brackets around an IPv6 host, as it would be written in configuration.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// RFC 1123 host names: dot-separated labels of letters, digits and hyphens.
    private static func isHostName(_ text: Substring) -> Bool {
        guard text.utf8.count <= 253 else { return false }
        // A name of digits and dots only ("127.1", "300.1.1.1") is a malformed address, not a host.
        if text.allSatisfy({ $0.isNumber || $0 == "." }) { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
