import Testing
import TrailDelivery
import TrailWebhook

/// Which webhook URLs pass the SSRF policy (operations.md §5.5).
@Suite struct DestinationPolicyTests {
    enum Outcome: Sendable, Equatable { case ok, refused }

    /// A canned resolver: the host names tests use and their addresses.
    static func resolver(_ host: String, _ port: Int) throws(HostResolutionError) -> [IPAddress] {
        let table: [String: [String]] = [
            "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
            "internal.example": ["10.0.0.7"],
            "loop.example": ["127.0.0.1", "::1"],
            "metadata.example": ["169.254.169.254"],
            "rebind.example": ["93.184.215.14", "169.254.169.254"],
            "mixed.example": ["127.0.0.1", "93.184.215.14"],
            "mapped.example": ["::ffff:169.254.169.254"],
            "cgnat.example": ["100.64.1.1"],
        ]
        guard let addresses = table[host] else {
            throw HostResolutionError(host: host, code: -2, message: "Name or service not known")
        }
        return addresses.compactMap(IPAddress.init)
    }

    static let strict = DestinationPolicy(allowLoopback: false, refusePrivate: true)
    static let testMode = DestinationPolicy(allowLoopback: true, refusePrivate: true)
    static let permissive = DestinationPolicy(allowLoopback: false, refusePrivate: false)
    static let permissiveTestMode = DestinationPolicy(allowLoopback: true, refusePrivate: false)

    static func outcome(_ policy: DestinationPolicy, _ url: String) -> Outcome {
        (try? policy.check(url: Secret(url), resolver: resolver)) == nil ? .refused : .ok
    }

    @Test(arguments: [
        // (url, strict, testMode, permissive, permissiveTestMode)
        ("https://hooks.example.com/services/T/B/x", Outcome.ok, Outcome.ok, Outcome.ok, Outcome.ok),
        ("https://93.184.215.14/hook", .ok, .ok, .ok, .ok),
        ("http://hooks.example.com/hook", .refused, .refused, .refused, .refused),
        ("http://127.0.0.1:8080/hook", .refused, .ok, .refused, .ok),
        ("http://[::1]:8080/hook", .refused, .ok, .refused, .ok),
        ("http://loop.example:8080/hook", .refused, .ok, .refused, .ok),
        ("https://127.0.0.1/hook", .refused, .ok, .ok, .ok),
        ("http://mixed.example/hook", .refused, .refused, .refused, .refused),
        ("http://169.254.169.254/latest/meta-data/", .refused, .refused, .refused, .refused),
        ("https://169.254.169.254/latest/meta-data/", .refused, .refused, .refused, .refused),
        ("https://metadata.example/", .refused, .refused, .refused, .refused),
        ("https://rebind.example/", .refused, .refused, .refused, .refused),
        ("https://mapped.example/", .refused, .refused, .refused, .refused),
        ("https://[::ffff:169.254.169.254]/", .refused, .refused, .refused, .refused),
        ("https://[::ffff:a9fe:a9fe]/", .refused, .refused, .refused, .refused),
        ("https://[64:ff9b::169.254.169.254]/", .refused, .refused, .refused, .refused),
        ("https://[fe80::1]/", .refused, .refused, .refused, .refused),
        ("https://[fd00:ec2::254]/", .refused, .refused, .refused, .refused),
        ("https://100.100.100.200/", .refused, .refused, .refused, .refused),
        ("https://10.0.0.1/hook", .refused, .refused, .ok, .ok),
        ("https://internal.example/hook", .refused, .refused, .ok, .ok),
        ("https://cgnat.example/hook", .refused, .refused, .ok, .ok),
        ("https://[fd12:3456::1]/hook", .refused, .refused, .ok, .ok),
        ("https://192.0.2.10/hook", .refused, .refused, .ok, .ok),
        ("https://224.0.0.1/hook", .refused, .refused, .ok, .ok),
        ("https://0.0.0.0/hook", .refused, .refused, .ok, .ok),
        ("https://user:pass@hooks.example.com/hook", .refused, .refused, .refused, .refused),
        ("https://@hooks.example.com/hook", .refused, .refused, .refused, .refused),
        ("https://hooks.example.com\\@169.254.169.254/", .refused, .refused, .refused, .refused),
        ("https://hooks.example.com/hook#frag", .refused, .refused, .refused, .refused),
        ("https://hooks.example.com/hook#", .refused, .refused, .refused, .refused),
        ("ftp://hooks.example.com/hook", .refused, .refused, .refused, .refused),
        ("file:///etc/passwd", .refused, .refused, .refused, .refused),
        ("https:///hook", .refused, .refused, .refused, .refused),
        ("hooks.example.com/hook", .refused, .refused, .refused, .refused),
        ("https://hooks.example.com:0/", .refused, .refused, .refused, .refused),
        ("https://hooks.example.com:70000/", .refused, .refused, .refused, .refused),
        ("https://127.1/", .refused, .refused, .refused, .refused),
        ("https://2130706433/", .refused, .refused, .refused, .refused),
        ("https://unknown.example/", .refused, .refused, .refused, .refused),
        ("https://bad_host!.example/", .refused, .refused, .refused, .refused),
    ])
    func urlPolicyTable(
        url: String, strict: Outcome, testMode: Outcome, permissive: Outcome, permissiveTestMode: Outcome
    ) {
        #expect(Self.outcome(Self.strict, url) == strict, "strict")
        #expect(Self.outcome(Self.testMode, url) == testMode, "allowLoopback")
        #expect(Self.outcome(Self.permissive, url) == permissive, "refusePrivate off")
        #expect(Self.outcome(Self.permissiveTestMode, url) == permissiveTestMode, "allowLoopback, refusePrivate off")
    }

    @Test func destinationPinsTheFirstAddressForTheHTTPClient() throws {
        let url = "https://hooks.example.com/services/T0/B0/SECRET?sig=abc"
        let destination = try Self.strict.check(url: Secret(url), resolver: Self.resolver)
        #expect(destination.scheme == "https")
        #expect(destination.host == "hooks.example.com")
        #expect(destination.port == 443)
        #expect(destination.requestTarget.unredactedValue == "/services/T0/B0/SECRET?sig=abc")
        #expect(destination.pinnedAddress.description == "93.184.215.14")
        #expect(destination.addresses.count == 2)
        #expect(destination.dnsOverride == ["hooks.example.com": "93.184.215.14"])
        #expect(!destination.isIPLiteral)
        #expect(!"\(destination)".contains("SECRET") && !"\(destination)".contains("sig="))
    }

    @Test func ipLiteralHostsAreNotResolvedNorOverridden() throws {
        let destination = try Self.testMode.check(url: Secret("http://[::1]:9000")) {
            host, _ throws(HostResolutionError) in
            Issue.record("resolved \(host)")
            return []
        }
        #expect(destination.host == "::1")
        #expect(destination.port == 9000)
        #expect(destination.requestTarget.unredactedValue == "/")
        #expect(destination.isIPLiteral)
        #expect(destination.dnsOverride.isEmpty)
    }

    @Test func plainHTTPOutsideTestModeIsRefusedBeforeResolving() {
        #expect(
            throws: DestinationError(
                url: Secret("http://hooks.example.com/x").redacted, problem: .plainHTTP(allowLoopback: false))
        ) {
            try Self.strict.check(url: Secret("http://hooks.example.com/x")) { host, _ throws(HostResolutionError) in
                Issue.record("resolved \(host)")
                return []
            }
        }
        // In test mode http passes only when every address is loopback.
        #expect(
            throws: DestinationError(
                url: Secret("http://mixed.example/").redacted, problem: .plainHTTP(allowLoopback: true))
        ) {
            try Self.testMode.check(url: Secret("http://mixed.example/"), resolver: Self.resolver)
        }
    }

    @Test func localhostResolvesToLoopbackWithTheSystemResolver() throws {
        let addresses = try HostResolver.resolve(host: "localhost", port: 80)
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { AddressClass($0) == .loopback })
        let destination = try Self.testMode.check(url: Secret("http://localhost:8080/hook"))
        #expect(AddressClass(destination.pinnedAddress) == .loopback)
        #expect(throws: DestinationError.self) { try Self.strict.check(url: Secret("http://localhost:8080/hook")) }
    }

    @Test func metadataRefusalNamesAddressAndClass() {
        do {
            _ = try Self.permissiveTestMode.check(
                url: Secret("https://rebind.example/x/TOKEN"), resolver: Self.resolver)
            Issue.record("accepted")
        } catch {
            let message = error.description
            #expect(message.hasPrefix("refused webhook URL https://rebind.example/…#"))
            #expect(
                message.contains(
                    "rebind.example resolves to 169.254.169.254 (one of its 2 addresses), "
                        + "a link-local address (cloud metadata); link-local and cloud metadata addresses are always refused"
                ))
            #expect(!message.contains("TOKEN"))
            #expect(!message.contains("\n"))
        }
    }

    @Test func mappedLiteralRefusalShowsTheLiteral() {
        #expect(throws: DestinationError.self) {
            try Self.permissive.check(url: Secret("https://[::ffff:169.254.169.254]/"))
        }
        do {
            _ = try Self.permissive.check(url: Secret("https://[::ffff:169.254.169.254]/"))
        } catch {
            #expect(error.description.contains(": ::ffff:169.254.169.254 is a link-local address (cloud metadata);"))
        }
        do {
            _ = try Self.permissive.check(url: Secret("https://[::ffff:a9fe:a9fe]/"))
        } catch {
            #expect(error.description.contains(": ::ffff:a9fe:a9fe (::ffff:169.254.169.254) is a link-local address"))
        }
    }

    @Test func errorsNeverRevealPathQueryOrUserInfo() {
        let urls = [
            "https://user:hunter2@hooks.example.com/services/T0/B0/SECRETPATH?sig=SECRETQUERY",
            "http://hooks.example.com/services/T0/B0/SECRETPATH?sig=SECRETQUERY",
            "https://internal.example/services/T0/B0/SECRETPATH?sig=SECRETQUERY",
            "https://unknown.example/services/T0/B0/SECRETPATH?sig=SECRETQUERY",
            "https://hooks.example.com/services/T0/B0/SECRETPATH?sig=SECRETQUERY#frag",
            "gopher://hooks.example.com/SECRETPATH?sig=SECRETQUERY",
            "not a url SECRETPATH",
        ]
        for url in urls {
            do {
                _ = try Self.strict.check(url: Secret(url), resolver: Self.resolver)
                Issue.record("accepted \(url)")
            } catch {
                for leak in ["SECRETPATH", "SECRETQUERY", "hunter2", "sig="] {
                    #expect(!error.description.contains(leak), "\(error)")
                }
                #expect(error.description.contains(Secret(url).fingerprint))
            }
        }
    }

    @Test func unresolvableNamesSayWhy() {
        #expect(
            throws: DestinationError(
                url: Secret("https://unknown.example/").redacted,
                problem: .unresolvable(
                    HostResolutionError(host: "unknown.example", code: -2, message: "Name or service not known")))
        ) {
            try Self.strict.check(url: Secret("https://unknown.example/"), resolver: Self.resolver)
        }
    }
}
