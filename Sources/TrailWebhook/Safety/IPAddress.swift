#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as its network-order bytes, parsed and printed by the C library.
///
/// Parsing goes through `inet_pton`, which accepts only the canonical dotted quad for IPv4 (no
/// `127.1`, `0x7f.0.0.1` or `2130706433`), so what this type accepts is exactly what we classify.
/// IPv6 zone identifiers (`fe80::1%eth0`) are not addresses and are refused.
package struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family: 4 bytes for IPv4, 16 for IPv6.
    package enum Family: Sendable, Hashable {
        /// IPv4 (`AF_INET`).
        case v4
        /// IPv6 (`AF_INET6`).
        case v6
    }

    /// The address in network byte order: 4 bytes (IPv4) or 16 bytes (IPv6).
    package let bytes: [UInt8]

    /// The address for `bytes`, or nil unless there are exactly 4 or 16 of them.
    package init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses an IPv4 dotted quad or an IPv6 literal (without brackets), or returns nil.
    package init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// Whether this is an IPv4 or an IPv6 address.
    package var family: Family { bytes.count == 4 ? .v4 : .v6 }

    /// The IPv4 address that an IPv6 address carries and that traffic to it ends up at, if any:
    /// IPv4-mapped `::ffff:a.b.c.d`, NAT64 well-known prefix `64:ff9b::a.b.c.d` (RFC 6052) and
    /// 6to4 `2002:AABB:CCDD::/48` (RFC 3056). Nil for IPv4 addresses and other IPv6 addresses.
    package var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        let nat64Prefix: [UInt8] = [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
        if bytes[0..<12].elementsEqual(mappedPrefix) || bytes[0..<12].elementsEqual(nat64Prefix) {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return IPAddress(bytes: Array(bytes[2..<6]))
        }
        return nil
    }

    /// Whether this is a well-known cloud instance-metadata endpoint, which hands out instance
    /// credentials to whoever asks: `169.254.169.254` (AWS, GCP, Azure, Oracle, DigitalOcean…),
    /// `fd00:ec2::254` (AWS IMDS over IPv6) and `100.100.100.200` (Alibaba Cloud), directly or
    /// embedded in an IPv6 address.
    package var isCloudMetadata: Bool {
        if let embedded = embeddedIPv4 { return embedded.isCloudMetadata }
        return Self.cloudMetadata.contains(bytes)
    }

    /// The canonical text form (`inet_ntop`): `169.254.169.254`, `::ffff:169.254.169.254`, `fd00:ec2::254`.
    package var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return bytes.map { String($0) }.joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static let cloudMetadata: Set<[UInt8]> = [
        [169, 254, 169, 254],
        [100, 100, 100, 200],
        [0xFD, 0x00, 0x0E, 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54],
    ]
}
