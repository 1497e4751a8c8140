/// What kind of network an IP address belongs to, for deciding whether a webhook may reach it.
///
/// Ranges follow the IANA special-purpose address registries (RFC 6890 and successors). IPv6
/// forms that carry an IPv4 address (IPv4-mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4
/// `2002::/16`) take the class of the IPv4 address inside, because that is where the packets end
/// up: `::ffff:169.254.169.254` is as link-local as `169.254.169.254`. IPv6 outside the global
/// unicast block `2000::/3` that no rule names is reserved, so new special ranges fail closed.
package enum AddressClass: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Globally routable unicast: everything no other case claims.
    case `public`
    /// This host: `127.0.0.0/8`, `::1`.
    case loopback
    /// Private networks: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, unique local
    /// `fc00::/7` and deprecated site-local `fec0::/10`.
    case `private`
    /// Link-local: `169.254.0.0/16` (where cloud metadata services such as `169.254.169.254`
    /// live) and `fe80::/10`.
    case linkLocal
    /// Carrier-grade NAT shared address space: `100.64.0.0/10` (RFC 6598).
    case sharedAddressSpace
    /// Multicast: `224.0.0.0/4`, `ff00::/8`.
    case multicast
    /// "This network" and the unspecified address: `0.0.0.0/8`, `::`. Linux connects `0.0.0.0`
    /// to the local host.
    case unspecified
    /// Documentation, benchmarking, protocol-assignment, future-use and broadcast ranges:
    /// `192.0.0.0/24`, `192.0.2.0/24`, `192.88.99.0/24`, `198.18.0.0/15`, `198.51.100.0/24`,
    /// `203.0.113.0/24`, `240.0.0.0/4` (with `255.255.255.255`), `2001::/23`, `2001:db8::/32`,
    /// `3fff::/20`, the rest of `::/8`, and IPv6 outside `2000::/3`.
    case reserved

    /// The class of `address`.
    package init(_ address: IPAddress) {
        let b = address.bytes
        if b.count == 4 {
            self = Self.classifyIPv4(b[0], b[1], b[2], b[3])
        } else {
            self = Self.classifyIPv6(address)
        }
    }

    /// The class with its article, for messages: "a link-local address", "an unspecified address".
    package var description: String {
        switch self {
        case .public: "a public address"
        case .loopback: "a loopback address"
        case .private: "a private address"
        case .linkLocal: "a link-local address"
        case .sharedAddressSpace: "a carrier-grade NAT (shared) address"
        case .multicast: "a multicast address"
        case .unspecified: "an unspecified address"
        case .reserved: "a reserved (documentation, benchmarking or special-purpose) address"
        }
    }

    private static func classifyIPv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> AddressClass {
        switch (a, b, c) {
        case (0, _, _): return .unspecified
        case (10, _, _): return .private
        case (100, 64...127, _): return .sharedAddressSpace
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (172, 16...31, _): return .private
        case (192, 0, 0), (192, 0, 2), (192, 88, 99): return .reserved
        case (192, 168, _): return .private
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return .reserved
        case (224...239, _, _): return .multicast
        case (240...255, _, _): return .reserved
        default: return .public
        }
    }

    private static func classifyIPv6(_ address: IPAddress) -> AddressClass {
        let b = address.bytes
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        if let embedded = address.embeddedIPv4 { return AddressClass(embedded) }
        let first16 = UInt16(b[0]) << 8 | UInt16(b[1])
        switch first16 {
        case 0x0000...0x00FF: return .reserved  // ::/8: IPv4-compatible, SIIT and other legacy forms.
        case 0xFF00...0xFFFF: return .multicast
        case 0xFE80...0xFEBF: return .linkLocal
        case 0xFEC0...0xFEFF: return .private  // Deprecated site-local: not routable on the internet.
        case 0xFC00...0xFDFF: return .private  // Unique local addresses.
        case 0x2001:
            // 2001::/23 (IETF protocol assignments, Teredo) and 2001:db8::/32 (documentation).
            if b[2] < 0x02 || (b[2] == 0x0D && b[3] == 0xB8) { return .reserved }
            return .public
        case 0x3FFF where b[2] < 0x10: return .reserved  // 3fff::/20, documentation (RFC 9637).
        case 0x2000...0x3FFF: return .public
        default: return .reserved
        }
    }
}
