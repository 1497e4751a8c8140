import TrailTestKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bound `AF_UNIX` datagram socket standing in for systemd's notify socket in tests.
final class UnixDatagramReceiver {
    /// The value to put in `NOTIFY_SOCKET` to reach this receiver.
    let notifySocket: String
    private let descriptor: Int32
    private let directory: TemporaryDirectory?

    /// Binds a path socket inside a new temporary directory, in `/tmp` whatever `TMPDIR` says: a
    /// socket's path must fit in `sun_path` (108 bytes).
    static func path() throws -> UnixDatagramReceiver {
        let directory = TemporaryDirectory("trailhound-notify", in: "/tmp")
        let path = try directory.path("notify")
        return try UnixDatagramReceiver(name: Array(path.utf8) + [0], notifySocket: path, directory: directory)
    }

    /// Binds a socket in the abstract namespace under a name unique to this process and call.
    static func abstract() throws -> UnixDatagramReceiver {
        let name = "trailhound-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return try UnixDatagramReceiver(name: [0] + Array(name.utf8), notifySocket: "@" + name, directory: nil)
    }

    private init(name: [UInt8], notifySocket: String, directory: TemporaryDirectory?) throws {
        self.notifySocket = notifySocket
        self.directory = directory
        #if canImport(Glibc)
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #else
            descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { throw ReceiverError(step: "socket", errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + name.count)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw ReceiverError(step: "bind", errno: code)
        }
    }

    deinit {
        close(descriptor)
        directory?.remove()
    }

    /// Every datagram already queued, oldest first, without waiting.
    func receiveAll() -> [String] {
        var datagrams: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes {
                recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            guard count >= 0 else { return datagrams }
            datagrams.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }

    struct ReceiverError: Error, CustomStringConvertible {
        var step: String
        var errno: Int32
        var description: String { "\(step) failed: \(String(cString: strerror(errno)))" }
    }
}
