import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 client over loopback TCP, reading raw bytes.
///
/// Raw rather than URLSession or AsyncHTTPClient so a test can tell exactly how the receiver ended a
/// request: an answer, an orderly close, a reset (`ECONNRESET`), a refused connection, or silence.
/// Adapted from TrailDaemonTests' `RawHTTPClient`.
enum RawHTTPClient {
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// How one request ended, from the client's side.
    enum Outcome: Sendable {
        case response(Response)
        /// The server closed the connection (FIN) without an answer.
        case closed
        /// The connection was reset (`ECONNRESET`) without an answer.
        case reset
        /// Nothing arrived before the timeout; the client closed the connection.
        case timedOut

        var response: Response? {
            if case .response(let response) = self { response } else { nil }
        }

        /// The status as text, or `reset`, `closed`, `timed out`: easy to compare in a table.
        var summary: String {
            switch self {
            case .response(let response): String(response.status)
            case .closed: "closed"
            case .reset: "reset"
            case .timedOut: "timed out"
            }
        }
    }

    struct Request: Sendable {
        var bytes: [UInt8]

        /// A `POST` with a `Content-Length` body; `keepAlive: false` adds `Connection: close`.
        static func post(
            _ path: String = "/hook", headers: [(String, String)] = [], body: [UInt8], keepAlive: Bool = true
        ) -> Request {
            var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if !keepAlive { head += "Connection: close\r\n" }
            head += "\r\n"
            return Request(bytes: Array(head.utf8) + body)
        }

        static func post(
            _ path: String = "/hook", headers: [(String, String)] = [], body: String = "{}", keepAlive: Bool = true
        ) -> Request {
            post(path, headers: headers, body: Array(body.utf8), keepAlive: keepAlive)
        }
    }

    struct ProtocolError: Error, CustomStringConvertible {
        var description: String
    }

    /// One open connection; requests and responses go in turn.
    struct Connection {
        fileprivate let channel: any Channel
        fileprivate var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        fileprivate let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        private var received: [UInt8] = []

        fileprivate init(
            channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
            outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        ) {
            self.channel = channel
            iterator = inbound.makeAsyncIterator()
            self.outbound = outbound
        }

        /// Sends `request` and reads its answer, or how the connection ended instead.
        mutating func send(_ request: Request, timeout: Duration = .seconds(5)) async throws -> Outcome {
            do {
                try await outbound.write(ByteBuffer(bytes: request.bytes))
            } catch {
                // The server already closed: reading tells how.
            }
            return try await next(timeout: timeout)
        }

        /// Reads the next answer; after `timeout` the connection is closed and `.timedOut` returned.
        mutating func next(timeout: Duration = .seconds(5)) async throws -> Outcome {
            let timedOut = Flag()
            let channel = channel
            let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                timedOut.set()
                channel.close(promise: nil)
            }
            defer { timer.cancel() }
            while true {
                if let (response, used) = try RawHTTPClient.parse(received) {
                    received.removeFirst(used)
                    return .response(response)
                }
                do {
                    guard let chunk = try await iterator.next() else {
                        return timedOut.isSet ? .timedOut : .closed
                    }
                    received += Array(buffer: chunk)
                } catch let error as IOError where error.errnoCode == ECONNRESET {
                    return .reset
                } catch  where timedOut.isSet {
                    return .timedOut
                }
            }
        }
    }

    /// How a connection attempt went.
    enum ConnectResult: Equatable {
        case connected
        case refused
        case failed(String)
    }

    /// Opens a connection to 127.0.0.1:`port`, runs `body` with it, then closes it.
    static func withConnection<Result: Sendable>(
        port: Int, _ body: (inout Connection) async throws -> Result
    ) async throws -> Result {
        let channel = try await connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            var connection = Connection(channel: channel.channel, inbound: inbound, outbound: outbound)
            return try await body(&connection)
        }
    }

    /// One request on a connection of its own.
    static func send(port: Int, _ request: Request, timeout: Duration = .seconds(5)) async throws -> Outcome {
        try await withConnection(port: port) { try await $0.send(request, timeout: timeout) }
    }

    /// Tries to connect and closes at once, telling a refused connection from other failures.
    static func tryConnect(port: Int) async -> ConnectResult {
        do {
            let channel = try await connect(port: port)
            try await channel.executeThenClose { _, _ in }
            return .connected
        } catch let error as IOError where error.errnoCode == ECONNREFUSED {
            return .refused
        } catch {
            return .failed("\(error)")
        }
    }

    private static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// A complete response at the start of `bytes` and how many bytes it used, or nil if more are needed.
    fileprivate static func parse(_ bytes: [UInt8]) throws -> (Response, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).split(
            separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ProtocolError(description: "bad status line \(head[0])")
        }
        let headers = head.dropFirst().map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        // No Content-Length means no body here: the receiver always sends one, except on a 204.
        let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
        let bodyStart = end + separator.count
        guard bytes.count >= bodyStart + length else { return nil }
        let body = String(decoding: bytes[bodyStart..<(bodyStart + length)], as: UTF8.self)
        return (Response(status: status, headers: headers, body: body), bodyStart + length)
    }
}

/// A flag set from an event-loop timer and read from the test's task.
private final class Flag: Sendable {
    private let value = NIOLockedValueBox(false)

    var isSet: Bool { value.withLockedValue { $0 } }

    func set() { value.withLockedValue { $0 = true } }
}
