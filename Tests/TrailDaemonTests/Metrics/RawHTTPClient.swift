import NIOCore
import NIOPosix

/// A tiny HTTP/1.1 client over one loopback TCP connection, reading raw bytes.
///
/// Raw so tests can send what a library would refuse to (oversized heads, odd methods), see
/// exactly what the server wrote, and tell whether the server closed the connection.
enum RawHTTPClient {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    struct Exchange {
        var responses: [Response]
        /// Whether the server closed the connection after the last response.
        var closedByServer: Bool
    }

    struct ProtocolError: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends each request in turn on one connection and reads its response.
    ///
    /// - Parameters:
    ///   - requests: Raw request texts; `\r\n` line ends are the caller's.
    ///   - bodiless: Per request, whether the response has no body even with a Content-Length (HEAD).
    ///   - expectClose: Read until the server closes after the last response.
    ///   - afterResponses: Called once every response has arrived, before waiting for the close.
    static func exchange(
        port: Int, _ requests: [String], bodiless: [Bool]? = nil, expectClose: Bool = false,
        afterResponses: @Sendable () -> Void = {}
    ) async throws -> Exchange {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
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
    static func request(port: Int, method: String = "GET", _ path: String) async throws -> Response {
        let exchange = try await exchange(
            port: port, ["\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"],
            bodiless: [method == "HEAD"])
        guard let response = exchange.responses.first else { throw ProtocolError(description: "no response") }
        return response
    }

    /// A complete response at the start of `bytes` and how many bytes it used, or nil if more are needed.
    private static func parse(_ bytes: [UInt8], bodiless: Bool) throws -> (Response, Int)? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
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

extension String {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
