import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 client over loopback TCP (127.0.0.1), reading raw bytes.
///
/// Raw rather than URLSession or AsyncHTTPClient so a test can send what a library would refuse to
/// (oversized heads, odd methods), see exactly what the server wrote, and tell how the server ended
/// a request: an answer, an orderly close, a reset (`ECONNRESET`), a refused connection, or silence.
///
/// Two ways in: `exchange` / `request` send request texts on one connection and read every answer
/// (and, if asked, the server's close), for servers that always answer (the metrics server);
/// `send` / `withConnection` / `tryConnect` read one answer at a time with a timeout and say how a
/// request ended when there was no answer (the webhook receiver's faults).
package enum RawHTTPClient {
    package struct Response: Sendable {
        package var status: Int
        package var headers: [(String, String)]
        package var body: String

        package init(status: Int, headers: [(String, String)], body: String) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// The first header named `name` (any case).
        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    package struct ProtocolError: Error, CustomStringConvertible {
        package var description: String
    }

    // MARK: Exchanges: request texts in, every answer out

    /// The answers to an `exchange`'s requests.
    package struct Exchange: Sendable {
        package var responses: [Response]
        /// Whether the server closed the connection after the last response.
        package var closedByServer: Bool
    }

    /// Sends each request in turn on one connection and reads its response.
    ///
    /// - Parameters:
    ///   - requests: Raw request texts; `\r\n` line ends are the caller's.
    ///   - bodiless: Per request, whether the response has no body even with a Content-Length (HEAD).
    ///   - expectClose: Read until the server closes after the last response.
    ///   - afterResponses: Called once every response has arrived, before waiting for the close.
    package static func exchange(
        port: Int, _ requests: [String], bodiless: [Bool]? = nil, expectClose: Bool = false,
        afterResponses: @Sendable () -> Void = {}
    ) async throws -> Exchange {
        let channel = try await connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            var received: [UInt8] = []
            var iterator = inbound.makeAsyncIterator()
            var responses: [Response] = []
            for (index, request) in requests.enumerated() {
                try await outbound.write(ByteBuffer(string: request))
                let noBody = bodiless?[index] ?? false
                while true {
                    if let (response, used) = try parse(received, bodiless: noBody) {
                        responses.append(response)
                        received.removeFirst(used)
                        break
                    }
                    guard let chunk = try await iterator.next() else {
                        return Exchange(responses: responses, closedByServer: true)
                    }
                    received += Array(buffer: chunk)
                }
            }
            afterResponses()
            var closed = false
            if expectClose {
                while let chunk = try await iterator.next() { received += Array(buffer: chunk) }
                closed = true
            }
            return Exchange(responses: responses, closedByServer: closed)
        }
    }

    /// One `GET` (or other method) of `path`, closing the connection afterwards.
    package static func request(port: Int, method: String = "GET", _ path: String) async throws -> Response {
        let exchange = try await exchange(
            port: port, ["\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"],
            bodiless: [method == "HEAD"])
        guard let response = exchange.responses.first else { throw ProtocolError(description: "no response") }
        return response
    }

    // MARK: One request at a time, and how it ended

    /// How one request ended, from the client's side.
    package enum Outcome: Sendable {
        case response(Response)
        /// The server closed the connection (FIN) without an answer.
        case closed
        /// The connection was reset (`ECONNRESET`) without an answer.
        case reset
        /// Nothing arrived before the timeout; the client closed the connection.
        case timedOut

        package var response: Response? {
            if case .response(let response) = self { response } else { nil }
        }

        /// The status as text, or `reset`, `closed`, `timed out`: easy to compare in a table.
        package var summary: String {
            switch self {
            case .response(let response): String(response.status)
            case .closed: "closed"
            case .reset: "reset"
            case .timedOut: "timed out"
            }
        }
    }

    package struct Request: Sendable {
        package var bytes: [UInt8]

        package init(bytes: [UInt8]) { self.bytes = bytes }

        /// A `POST` with a `Content-Length` body; `keepAlive: false` adds `Connection: close`.
        package static func post(
            _ path: String = "/hook", headers: [(String, String)] = [], body: [UInt8], keepAlive: Bool = true
        ) -> Request {
            var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if !keepAlive { head += "Connection: close\r\n" }
            head += "\r\n"
            return Request(bytes: Array(head.utf8) + body)
        }

        package static func post(
            _ path: String = "/hook", headers: [(String, String)] = [], body: String = "{}", keepAlive: Bool = true
        ) -> Request {
            post(path, headers: headers, body: Array(body.utf8), keepAlive: keepAlive)
        }
    }

    /// One open connection; requests and responses go in turn.
    package struct Connection {
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
        package mutating func send(_ request: Request, timeout: Duration = .seconds(5)) async throws -> Outcome {
            do {
                try await outbound.write(ByteBuffer(bytes: request.bytes))
            } catch {
                // The server already closed: reading tells how.
            }
            return try await next(timeout: timeout)
        }

        /// Reads the next answer; after `timeout` the connection is closed and `.timedOut` returned.
        package mutating func next(timeout: Duration = .seconds(5)) async throws -> Outcome {
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
                } catch where timedOut.isSet {
                    return .timedOut
                }
            }
        }
    }

    /// How a connection attempt went.
    package enum ConnectResult: Equatable, Sendable {
        case connected
        case refused
        case failed(String)
    }

    /// Opens a connection to 127.0.0.1:`port`, runs `body` with it, then closes it.
    package static func withConnection<Result: Sendable>(
        port: Int, _ body: (inout Connection) async throws -> Result
    ) async throws -> Result {
        let channel = try await connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            var connection = Connection(channel: channel.channel, inbound: inbound, outbound: outbound)
            return try await body(&connection)
        }
    }

    /// One request on a connection of its own.
    package static func send(port: Int, _ request: Request, timeout: Duration = .seconds(5)) async throws -> Outcome {
        try await withConnection(port: port) { try await $0.send(request, timeout: timeout) }
    }

    /// Tries to connect and closes at once, telling a refused connection from other failures.
    package static func tryConnect(port: Int) async -> ConnectResult {
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

    // MARK: Shared

    private static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// A complete response at the start of `bytes` and how many bytes it used, or nil if more are
    /// needed. A `bodiless` response (to HEAD) has no body even with a Content-Length; no
    /// Content-Length means no body (the servers under test send one, except on a 204).
    fileprivate static func parse(_ bytes: [UInt8], bodiless: Bool = false) throws -> (Response, Int)? {
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
        let length =
            bodiless ? 0 : Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
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
