package import Logging
import NIOCore
import NIOHTTP1
package import NIOPosix
import ServiceLifecycle

/// Serves `GET /metrics` (Prometheus text) and `GET /healthz` over HTTP/1.1, as a `Service`.
///
/// A deliberately small server: two read-only paths, `GET` and `HEAD` only, small request caps,
/// a cap on open connections and absolute deadlines per connection, because it is reachable by
/// anything that can reach the port and must never take the descriptors the spool needs. It is not
/// worth an HTTP framework. Connections are handled in structured child tasks of ``run()``;
/// keep-alive is honoured so a Prometheus scraper reuses its connection.
///
/// On graceful shutdown the listening socket closes first, then open connections are cancelled:
/// scrapes are cheap to retry, and waiting for a scraper's idle keep-alive connection would
/// only delay the daemon's exit.
package struct MetricsServer: Service {
    /// The host to bind, as given (`127.0.0.1`, `::1`, `localhost`).
    package let host: String
    /// The port to bind; 0 picks a free one, reported through `onBound`.
    package let port: Int

    let metrics: DaemonMetrics
    let health: @Sendable () async -> HealthStatus
    let logger: Logger
    let eventLoopGroup: MultiThreadedEventLoopGroup
    let onBound: @Sendable (_ port: Int) -> Void
    let idleTimeout: TimeAmount
    let requestTimeout: TimeAmount
    let connections: ConnectionLimit

    /// Largest request head (request line and headers) accepted; a scrape sends a few hundred bytes.
    static let maximumHeadBytes = 8 * 1024
    /// Largest request body accepted; `GET` and `HEAD` need none.
    static let maximumBodyBytes = 4 * 1024

    /// A server for `metrics` and `health` on `host:port`.
    ///
    /// - Parameters:
    ///   - host: The address to bind.
    ///   - port: The TCP port; 0 lets the kernel choose (tests).
    ///   - metrics: Rendered on each `GET /metrics`.
    ///   - health: Asked on each `GET /healthz`; keep it quick, a scraper times out.
    ///   - logger: For the bound address (info) and connection errors (debug).
    ///   - eventLoopGroup: Where sockets are served.
    ///   - idleTimeout: How long a connection may wait for its next request (counted from when
    ///     it opened or its last response, however many bytes trickle in meanwhile); scrapers
    ///     reconnect, and a client that never finishes its request must not hold a socket.
    ///   - requestTimeout: How long a request may take from its head to its response.
    ///   - maximumConnections: Connections open at once; more are closed as soon as accepted.
    ///   - onBound: Called once with the bound port, before requests are accepted.
    package init(
        host: String,
        port: Int,
        metrics: DaemonMetrics,
        health: @escaping @Sendable () async -> HealthStatus,
        logger: Logger,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        idleTimeout: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(10),
        maximumConnections: Int = 16,
        onBound: @escaping @Sendable (_ port: Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.idleTimeout = TimeAmount(idleTimeout)
        self.requestTimeout = TimeAmount(requestTimeout)
        self.connections = ConnectionLimit(maximum: maximumConnections)
        self.onBound = onBound
    }

    /// A server on a parsed ``ListenAddress``.
    package init(
        address: ListenAddress,
        metrics: DaemonMetrics,
        health: @escaping @Sendable () async -> HealthStatus,
        logger: Logger,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton
    ) {
        self.init(
            host: address.host, port: address.port, metrics: metrics, health: health, logger: logger,
            eventLoopGroup: eventLoopGroup)
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// Binds, serves until graceful shutdown (or cancellation), then closes the socket and connections.
    ///
    /// - Throws: ``MetricsServerError`` when the address cannot be bound.
    package func run() async throws {
        let server = try await bind()
        let boundPort = server.channel.localAddress?.port ?? port
        logger.info(
            "Metrics server listening.",
            metadata: ["th.address": "\(ListenAddress(host: host, port: boundPort))"])
        onBound(boundPort)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await acceptConnections(on: server) }
            group.addTask {
                // Throws CancellationError when the task is cancelled instead: either way, stop.
                try? await gracefulShutdown()
            }
            // Whichever comes first: shutdown, or the listening socket failing.
            defer {
                server.channel.close(promise: nil)
                group.cancelAll()
            }
            try await group.next()
        }
        logger.debug(
            "Metrics server stopped.", metadata: ["th.address": "\(ListenAddress(host: host, port: boundPort))"])
    }

    private func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        do {
            return try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 64)
                .bind(host: host, port: port) { [idleTimeout, requestTimeout] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.configureHTTPServerPipeline()
                        try pipeline.addHandler(ConnectionDeadline(idle: idleTimeout, request: requestTimeout))
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MetricsServerError(address: "\(ListenAddress(host: host, port: port))", cause: "\(error)")
        }
    }

    private func acceptConnections(on server: NIOAsyncChannel<Connection, Never>) async throws {
        do {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { connections in
                    for try await connection in inbound {
                        guard self.connections.acquire() else {
                            // Over the cap: closed at once, so its descriptor is given back at once.
                            connections.addTask { try? await connection.executeThenClose { _, _ in } }
                            continue
                        }
                        connections.addTask {
                            defer { self.connections.release() }
                            await serve(connection)
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Shutdown: the listening socket is closed by executeThenClose.
        } catch let error as ChannelError where error == .ioOnClosedChannel || error == .alreadyClosed {
            // Shutdown closed the socket under the accept loop.
        }
    }

    /// Answers requests on one connection until it closes, asks to close, or errs.
    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var request: HTTPRequestHead?
                var bodyBytes = 0
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        request = head
                        bodyBytes = 0
                        guard Self.headBytes(head) <= Self.maximumHeadBytes else {
                            try await write(.tooLarge(status: .requestHeaderFieldsTooLarge), for: head, to: outbound)
                            return
                        }
                    case .body(let chunk):
                        bodyBytes += chunk.readableBytes
                        if bodyBytes > Self.maximumBodyBytes, let head = request {
                            try await write(.tooLarge(status: .payloadTooLarge), for: head, to: outbound)
                            return
                        }
                    case .end:
                        guard let head = request else { continue }
                        request = nil
                        let response = await respond(to: head)
                        try await write(response, for: head, to: outbound)
                        if !head.isKeepAlive { return }
                    }
                }
            }
        } catch is CancellationError {
            // Shutdown cancelled an open keep-alive connection; executeThenClose closed it.
        } catch {
            logger.debug("Metrics connection ended with an error.", metadata: ["th.error": "\(error)"])
        }
    }

    private static func headBytes(_ head: HTTPRequestHead) -> Int {
        head.uri.utf8.count + head.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
    }
}
