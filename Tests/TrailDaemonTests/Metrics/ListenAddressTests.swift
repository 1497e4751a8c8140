import Testing
import TrailDaemon

@Suite("ListenAddress: HOST:PORT for the metrics listener")
struct ListenAddressTests {
    @Test(
        "Valid addresses parse into host, port and loopback-ness",
        arguments: [
            ("127.0.0.1:9464", "127.0.0.1", 9464, true),
            ("127.3.2.1:80", "127.3.2.1", 80, true),
            ("[::1]:9464", "::1", 9464, true),
            ("[0:0:0:0:0:0:0:1]:9464", "0:0:0:0:0:0:0:1", 9464, true),
            ("[::ffff:127.0.0.1]:9464", "::ffff:127.0.0.1", 9464, true),
            ("localhost:9464", "localhost", 9464, true),
            ("LOCALHOST:1", "LOCALHOST", 1, true),
            ("0.0.0.0:9464", "0.0.0.0", 9464, false),
            ("[::]:9464", "::", 9464, false),
            ("10.1.2.3:65535", "10.1.2.3", 65535, false),
            ("metrics.internal:9464", "metrics.internal", 9464, false),
        ])
    func valid(text: String, host: String, port: Int, loopback: Bool) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.isLoopback == loopback)
    }

    @Test(
        "Invalid addresses are refused with the input and the reason",
        arguments: [
            ("9464", "no port"),
            (":9464", "no host; use 127.0.0.1:9464"),
            ("127.0.0.1:", "the port `` is not a number"),
            ("127.0.0.1:0", "the port `0` is not a number from 1 to 65535"),
            ("127.0.0.1:70000", "the port `70000`"),
            ("127.0.0.1:http", "the port `http`"),
            ("::1:9464", "an IPv6 address needs brackets, as in [::1]:9464"),
            ("[::1:9464", "missing `]`"),
            ("[::1]9464", "missing `:PORT` after `]`"),
            ("[localhost]:9464", "`localhost` is not an IPv6 address"),
            ("300.1.1.1:9464", "`300.1.1.1` is neither an IPv4 address nor a host name"),
            ("bad_host:9464", "`bad_host` is neither"),
        ])
    func invalid(text: String, reason: String) {
        #expect {
            try ListenAddress(parsing: text)
        } throws: { error in
            guard let error = error as? ListenAddressError else { return false }
            return error.input == text && error.reason.contains(reason)
                && error.description.hasPrefix("invalid listen address \"\(text)\": ")
        }
    }

    @Test("The description writes IPv6 hosts in brackets", arguments: ["127.0.0.1:9464", "[::1]:9464", "localhost:80"])
    func roundTrip(text: String) throws {
        #expect(try ListenAddress(parsing: text).description == text)
    }
}
