#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves a host name to every address the system resolver returns, with `getaddrinfo`.
///
/// The whole set is returned, not just the first address, so that ``DestinationPolicy`` can
/// refuse a name if any of its addresses is refused: a name with one public and one metadata
/// address would otherwise win whenever the resolver's order or the client's fallback picks the
/// bad one. No `AI_ADDRCONFIG`, for the same reason: an address family this host cannot use today
/// is still checked. The order is the resolver's (RFC 6724 preference), duplicates removed.
///
/// `getaddrinfo` blocks (it may wait for DNS): call it at start-up, on reload or from a thread
/// that may block, not from a latency-sensitive task.
package enum HostResolver {
    /// The addresses of `host` for TCP to `port`, in the resolver's order, without duplicates.
    ///
    /// - Throws: ``HostResolutionError`` with the resolver's message when the name does not
    ///   resolve or resolves to nothing usable.
    package static func resolve(host: String, port: Int) throws(HostResolutionError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0 else {
            let message: String
            if code == EAI_SYSTEM {
                message = String(cString: strerror(errno))
            } else {
                message = String(cString: gai_strerror(code))
            }
            throw HostResolutionError(host: host, code: code, message: message)
        }
        defer { freeaddrinfo(list) }

        var addresses: [IPAddress] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let socketAddress = info.ai_addr else { continue }
            let address: IPAddress?
            switch info.ai_family {
            case AF_INET:
                address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    var raw = pointer.pointee.sin_addr
                    return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
                }
            case AF_INET6:
                address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    var raw = pointer.pointee.sin6_addr
                    return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
                }
            default:
                address = nil
            }
            if let address, !addresses.contains(address) { addresses.append(address) }
        }
        guard !addresses.isEmpty else {
            throw HostResolutionError(host: host, code: 0, message: "no IPv4 or IPv6 address")
        }
        return addresses
    }
}
