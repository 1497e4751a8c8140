import Foundation

extension DaemonHarness {
    /// What `trailhound status --config` prints for the daemon's ledger (text, or JSON with `json`).
    func status(json: Bool = false) async throws -> String {
        try await BinaryRun.run(["status", "--config", config] + (json ? ["--json"] : [])).output
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (for `metrics.listen`).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension DaemonHarness {
    /// Rewrites the configuration file (kept at mode 0644, as the daemon requires) for a reload.
    func rewriteConfig(_ transform: (String) -> String) throws {
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try transform(text).write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
    }

    /// Sends SIGHUP and waits until the daemon logged the reload's outcome (`Reloaded.` or
    /// `Reload failed`) for the `count`-th time; returns whether it did.
    func reload(count: Int = 1) async -> Bool {
        guard let process else { return false }
        kill(process.processIdentifier, SIGHUP)
        return await waitAsync(seconds: 20) {
            let log = stderr
            return log.components(separatedBy: "Reloaded.").count - 1
                + log.components(separatedBy: "Reload failed").count
                - 1 >= count
        }
    }

    /// `GET path` on 127.0.0.1:`port`: the status code and body, or nil when nothing answers.
    static func get(port: Int, _ path: String) -> (status: Int, body: String)? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(descriptor, request, request.count, 0) == request.count else { return nil }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer += buffer[0..<count]
        }
        let text = String(decoding: answer, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n", maxSplits: 1).first,
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }),
            let split = text.range(of: "\r\n\r\n")
        else { return nil }
        return (status, String(text[split.upperBound...]))
    }
}
