package import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// moto's S3/SQS/IAM server (PyPI `moto[server]`), started on a free loopback port with
/// signature checking on: after the first requests (which create an IAM user and its key),
/// every request must be signed with a key moto knows, so a wrong signature fails as on AWS.
/// Fixtures (buckets, queues, objects, messages, policies) are made with boto3, as any AWS user
/// would; what is under test talks to the server with the user's key.
///
/// Each server is a Python process that takes a second or two of CPU to start: suites that use
/// it run their tests one at a time (`.serialized`), so a test run does not start them all at
/// once beside the timing-sensitive daemon tests.
package final class MotoServer: @unchecked Sendable {  // immutable; `Process` is not marked Sendable
    package let endpoint: String
    package let accessKeyID: String
    package let secretAccessKey: String
    private let process: Process

    /// Whether `moto_server` and boto3 are installed (`.ci/run` installs them); found once.
    package static let isAvailable: Bool = {
        guard which("moto_server") != nil else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import boto3"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Starts a server, then creates the IAM user `trailhound` with `policy` (an IAM policy
    /// document; everything unless given) and a key for it.
    ///
    /// `checksSignatures: false` starts it without signature checks (any key is accepted). For
    /// S3 calls whose path or query holds an escaped character (`prefix=AWSLogs%2F`, a key with
    /// `+` or `=`): moto 5.2.1 recomputes their signature wrongly and refuses even boto3's
    /// (getmoto/moto#5948, still open).
    ///
    /// Every wait is a `Task.sleep`, never a blocked thread: the cooperative pool has as many
    /// threads as cores (two here), and a blocked one stalls every other test's tasks.
    package init(policy: String = MotoServer.allowAll, checksSignatures: Bool = true) async throws {
        let port = try Self.freePort()
        let endpoint = "http://127.0.0.1:\(port)"
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.which("moto_server") ?? "/usr/local/bin/moto_server")
        server.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        // Three requests without signatures: create the user, its policy and its key.
        server.environment = ProcessInfo.processInfo.environment.merging(
            checksSignatures ? ["INITIAL_NO_AUTH_ACTION_COUNT": "3"] : [:], uniquingKeysWith: { $1 })
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        do {
            let deadline = Date().addingTimeInterval(30)
            while !Self.accepts(port) {
                guard Date() < deadline, server.isRunning else {
                    throw MotoError(message: "moto_server did not start on port \(port)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            let keys = try await Self.run(
                """
                import boto3, json
                iam = boto3.client("iam", endpoint_url="\(endpoint)", region_name="us-east-1",
                                   aws_access_key_id="setup", aws_secret_access_key="setup")
                iam.create_user(UserName="trailhound")
                iam.put_user_policy(UserName="trailhound", PolicyName="trailhound", PolicyDocument=json.dumps(\(policy)))
                key = iam.create_access_key(UserName="trailhound")["AccessKey"]
                print(key["AccessKeyId"], key["SecretAccessKey"])
                """, environment: [:]
            ).split(separator: " ")
            guard keys.count == 2 else { throw MotoError(message: "no key for the IAM user: \(keys)") }
            accessKeyID = String(keys[0])
            secretAccessKey = String(keys[1])
        } catch {
            kill(server.processIdentifier, SIGKILL)
            throw error
        }
        self.endpoint = endpoint
        process = server
    }

    deinit { stop() }

    /// Stops the server (SIGKILL: moto's server, werkzeug, does not exit on SIGTERM), without
    /// waiting for it to be gone.
    package func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs a Python script with boto3 against the server as the IAM user (its key, the
    /// endpoint and `us-east-1` in the environment); returns what it printed.
    @discardableResult
    package func python(_ script: String) async throws -> String {
        try await Self.run(
            script,
            environment: [
                "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey, "AWS_ENDPOINT_URL": endpoint,
                "AWS_DEFAULT_REGION": "us-east-1",
            ])
    }

    /// A policy allowing everything.
    package static let allowAll = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#

    /// Runs a Python script; its output goes to files (a pipe could fill and stall it) and its
    /// end is awaited with sleeps.
    private static func run(_ script: String, environment: [String: String]) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("stdout")
        let errors = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script]
        python.environment = ProcessInfo.processInfo.environment.merging(environment, uniquingKeysWith: { $1 })
        python.standardInput = FileHandle.nullDevice
        python.standardOutput = try FileHandle(forWritingTo: output)
        python.standardError = try FileHandle(forWritingTo: errors)
        try python.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while python.isRunning {
            guard ContinuousClock.now < deadline else {
                python.terminate()
                throw MotoError(message: "boto3 fixture did not finish in 120 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard python.terminationStatus == 0 else {
            let failed = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw MotoError(message: "boto3 fixture failed: \(failed)")
        }
        return ((try? String(contentsOf: output, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw MotoError(message: "socket: \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw MotoError(message: "cannot find a free port: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A moto fixture that failed, with why.
package struct MotoError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
