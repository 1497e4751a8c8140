import Foundation
import Testing

/// What the process tests need beyond the daemon itself: the other commands on the same
/// configuration, the JSON log, `/healthz`, and running as an unprivileged user.
extension DaemonHarness {
    /// What a finished command printed, and its exit status.
    typealias CommandResult = BinaryRun.Result

    /// Runs `trailhound ARGUMENTS` to its end (`--config` is the caller's to give).
    func command(_ arguments: [String], wrapper: [String] = []) async throws -> CommandResult {
        try await BinaryRun.run(arguments, wrapper: wrapper)
    }

    /// `trailhound status --json` for this configuration.
    func statusJSON() async throws -> [String: Any] {
        let result = try await command(["status", "--json", "--config", config])
        #expect(result.status == 0, "status: \(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// The daemon's log so far (started with `logFormat: "json"`), one object per line.
    var logLines: [[String: Any]] {
        stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The log lines with `message`.
    func logged(_ message: String) -> [[String: Any]] {
        logLines.filter { $0["message"] as? String == message }
    }

    /// The configuration line for a metrics server on a free loopback port.
    static func metricsSection() throws -> String { "metrics: {listen: \"127.0.0.1:\(try freePort())\"}" }

    /// The port the metrics server bound, from its log line.
    func metricsPort() async -> Int? {
        var port: Int?
        _ = await waitAsync {
            let address = logged("Metrics server listening.").first?["th.address"] as? String
            port = address.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
            return port != nil
        }
        return port
    }

    /// `GET /healthz` over a fresh connection: the status code and body (0 and a reason when the
    /// server did not answer).
    static func health(port: Int) -> (status: Int, body: String) {
        get(port: port, "/healthz") ?? (0, "no answer from 127.0.0.1:\(port)")
    }

    /// A TCP connection to 127.0.0.1:`port`, or -1.
    static func openConnection(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    /// Creates the state directory and makes it belong to `nobody` (uid and gid 65534), for a
    /// daemon run with `DaemonHarness.asNobody`, which must write its ledger there.
    func giveStateToNobody() throws {
        let state = root + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        chown(state, 65534, 65534)
    }

    /// Runs a command as `nobody` with no supplementary groups (root bypasses permission bits, so
    /// a test of an unreadable file needs an unprivileged daemon).
    static let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]

    /// Whether `asNobody` can work here (root, and util-linux's setpriv installed).
    static var canRunAsNobody: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: asNobody[0]) }
}
