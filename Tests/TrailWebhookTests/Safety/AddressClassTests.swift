import Testing
import TrailWebhook

/// Which network an address belongs to, for IPv4, IPv6 and IPv6 forms that embed IPv4.
@Suite struct AddressClassTests {
    @Test(arguments: [
        // IPv4.
        ("0.0.0.0", AddressClass.unspecified), ("0.1.2.3", .unspecified),
        ("10.0.0.1", .private), ("10.255.255.255", .private),
        ("100.63.255.255", .public), ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("100.128.0.0", .public),
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback),
        ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal), ("169.253.255.255", .public),
        ("172.15.255.255", .public), ("172.16.0.1", .private), ("172.31.255.255", .private), ("172.32.0.0", .public),
        ("192.0.0.8", .reserved), ("192.0.2.1", .reserved), ("192.88.99.1", .reserved),
        ("192.167.255.255", .public), ("192.168.1.1", .private), ("192.169.0.0", .public),
        ("198.17.255.255", .public), ("198.18.0.1", .reserved), ("198.19.255.255", .reserved),
        ("198.20.0.0", .public), ("198.51.100.7", .reserved), ("203.0.113.9", .reserved),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("240.0.0.1", .reserved),
        ("255.255.255.255", .reserved),
        ("1.1.1.1", .public), ("8.8.8.8", .public), ("52.94.1.1", .public),
        // IPv6.
        ("::", .unspecified), ("::1", .loopback), ("::2", .reserved), ("::127.0.0.1", .reserved),
        ("fc00::1", .private), ("fd00:ec2::254", .private), ("fdff:ffff::1", .private),
        ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("fec0::1", .private),
        ("ff02::1", .multicast), ("ff0e::101", .multicast),
        ("2001:db8::1", .reserved), ("2001::1", .reserved), ("2001:1ff::1", .reserved), ("3fff::1", .reserved),
        ("2001:4860:4860::8888", .public), ("2606:4700::1111", .public), ("2a00:1450::1", .public),
        ("64:ff9b:1::1", .reserved), ("100::1", .reserved), ("4000::1", .reserved),
        // IPv6 forms of IPv4 take the class of the IPv4 inside.
        ("::ffff:169.254.169.254", .linkLocal), ("::ffff:127.0.0.1", .loopback), ("::ffff:10.1.2.3", .private),
        ("::ffff:8.8.8.8", .public), ("::ffff:a9fe:a9fe", .linkLocal),
        ("64:ff9b::169.254.169.254", .linkLocal), ("64:ff9b::10.0.0.1", .private), ("64:ff9b::8.8.8.8", .public),
        ("2002:a9fe:a9fe::1", .linkLocal), ("2002:0808:0808::1", .public),
    ])
    func classifies(text: String, expected: AddressClass) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressClass(address) == expected, "\(text)")
    }

    @Test(arguments: [
        "127.1", "2130706433", "0x7f.0.0.1", "256.0.0.1", "1.2.3", "fe80::1%eth0", "[::1]", "", "::g", "010.0.0.1",
    ])
    func refusesNonCanonicalOrInvalidAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: [
        ("169.254.169.254", true), ("fd00:ec2::254", true), ("100.100.100.200", true),
        ("::ffff:169.254.169.254", true), ("64:ff9b::a9fe:a9fe", true), ("169.254.169.253", false),
        ("fd00:ec2::253", false), ("8.8.8.8", false),
    ])
    func recognisesCloudMetadataEndpoints(text: String, expected: Bool) throws {
        #expect(try #require(IPAddress(text)).isCloudMetadata == expected)
    }

    @Test func printsCanonicalForms() throws {
        #expect(try #require(IPAddress("::FFFF:A9FE:A9FE")).description == "::ffff:169.254.169.254")
        #expect(try #require(IPAddress("fd00:0ec2:0:0:0:0:0:0254")).description == "fd00:ec2::254")
    }
}
