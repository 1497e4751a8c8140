import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Testing
import TrailDaemon
import TrailTestKit

@Suite("MetricsServer: /metrics and /healthz over HTTP/1.1 on loopback", .timeLimit(.minutes(1)))
struct MetricsServerTests {
    /// Runs a server on 127.0.0.1, port 0, in a ServiceGroup; calls `body` with the bound port,
    /// then shuts the group down gracefully and waits for it.
    func withServer(
        metrics: DaemonMetrics = DaemonMetrics(registry: PrometheusCollectorRegistry()),
        health: @escaping @Sendable () async -> HealthStatus = { .healthy("") },
        logs: CollectedLines = CollectedLines(),
        idleTimeout: Duration = .seconds(60),
        requestTimeout: Duration = .seconds(10),
        maximumConnections: Int = 16,
        _ body: (Int) async throws -> Void
    ) async throws {
        let logger = DaemonLogHandler.makeLogger(label: "trailhound", level: .debug, format: .journal, sink: logs.sink)
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let server = MetricsServer(
            host: "127.0.0.1", port: 0, metrics: metrics, health: health, logger: logger, idleTimeout: idleTimeout,
            requestTimeout: requestTimeout, maximumConnections: maximumConnections, onBound: { bound.yield($0) })
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("GET /metrics returns Prometheus text with the daemon's metrics")
    func metricsEndpoint() async throws {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.fileProcessed(records: 12, duration: .milliseconds(3))
        metrics.alertsRaised(rule: "cis-3.1", count: 2)
        try await withServer(metrics: metrics) { port in
            let response = try await RawHTTPClient.request(port: port, "/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.body.contains("trailhound_files_processed_total 1\n"))
            #expect(response.body.contains("trailhound_records_total 12\n"))
            #expect(response.body.contains(#"trailhound_alerts_total{rule="cis-3.1"} 2"#))
            #expect(response.body.contains("# TYPE trailhound_file_processing_seconds histogram"))

            // Later updates show on the next scrape.
            metrics.fileProcessed(records: 1, duration: .milliseconds(1))
            let again = try await RawHTTPClient.request(port: port, "/metrics?x=1")
            #expect(again.body.contains("trailhound_files_processed_total 2\n"))
        }
    }

    @Test("GET /healthz is 200 with ok and the summary when healthy")
    func healthy() async throws {
        try await withServer(health: { .healthy("3 files pending") }) { port in
            let response = try await RawHTTPClient.request(port: port, "/healthz")
            #expect(response.status == 200)
            #expect(response.body == "ok 3 files pending\n")
        }
    }

    @Test("GET /healthz is 503 with the reason when unhealthy")
    func unhealthy() async throws {
        try await withServer(health: { .unhealthy("outbox stuck for 14 minutes") }) { port in
            let response = try await RawHTTPClient.request(port: port, "/healthz")
            #expect(response.status == 503)
            #expect(response.body == "outbox stuck for 14 minutes\n")
        }
    }

    @Test("The health check is asked on every request")
    func healthAskedEachTime() async throws {
        let calls = NIOLockedValueBox(0)
        let health: @Sendable () async -> HealthStatus = {
            let call = calls.withLockedValue { count in
                count += 1
                return count
            }
            return call == 1 ? .healthy("") : .unhealthy("now broken")
        }
        try await withServer(health: health) { port in
            let first = try await RawHTTPClient.request(port: port, "/healthz")
            let second = try await RawHTTPClient.request(port: port, "/healthz")
            #expect(first.body == "ok\n")
            #expect(second.status == 503)
        }
    }

    @Test("An unknown path is 404")
    func unknownPath() async throws {
        try await withServer { port in
            let root = try await RawHTTPClient.request(port: port, "/")
            let deeper = try await RawHTTPClient.request(port: port, "/metrics/extra")
            #expect(root.status == 404)
            #expect(deeper.status == 404)
        }
    }

    @Test("Methods other than GET and HEAD are 405 with Allow", arguments: ["POST", "PUT", "DELETE", "OPTIONS"])
    func otherMethods(method: String) async throws {
        try await withServer { port in
            let response = try await RawHTTPClient.request(port: port, method: method, "/metrics")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
        }
    }

    @Test("HEAD gets the headers of GET without the body")
    func headRequest() async throws {
        try await withServer { port in
            let exchange = try await RawHTTPClient.exchange(
                port: port, ["HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"], bodiless: [true],
                expectClose: true)
            let response = try #require(exchange.responses.first)
            #expect(response.status == 200)
            #expect(Int(response.header("Content-Length") ?? "") ?? 0 > 0)
            #expect(response.body.isEmpty)
            #expect(exchange.closedByServer)
        }
    }

    @Test("Keep-alive: several requests are answered on one connection")
    func keepAlive() async throws {
        try await withServer { port in
            let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            let exchange = try await RawHTTPClient.exchange(port: port, [request, request, request])
            #expect(exchange.responses.map(\.status) == [200, 200, 200])
            #expect(exchange.responses.allSatisfy { $0.header("Connection") == nil })
        }
    }

    @Test("Connection: close is honoured")
    func connectionClose() async throws {
        try await withServer { port in
            let exchange = try await RawHTTPClient.exchange(
                port: port, ["GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"], expectClose: true)
            #expect(exchange.responses.first?.header("Connection") == "close")
            #expect(exchange.closedByServer)
        }
    }

    @Test("An oversized request head is refused and the connection closed")
    func oversizedHead() async throws {
        try await withServer { port in
            let filler = String(repeating: "a", count: 9000)
            let exchange = try await RawHTTPClient.exchange(
                port: port, ["GET /metrics HTTP/1.1\r\nHost: x\r\nX-Filler: \(filler)\r\n\r\n"], expectClose: true)
            #expect(exchange.responses.first?.status == 431)
            #expect(exchange.closedByServer)
        }
    }

    @Test("An oversized request body is refused and the connection closed")
    func oversizedBody() async throws {
        try await withServer { port in
            let body = String(repeating: "b", count: 5000)
            let exchange = try await RawHTTPClient.exchange(
                port: port, ["GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n\(body)"],
                expectClose: true)
            #expect(exchange.responses.first?.status == 413)
            #expect(exchange.closedByServer)
        }
    }

    @Test("Graceful shutdown ends the service and closes an idle keep-alive connection")
    func shutdownWithOpenConnection() async throws {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let server = MetricsServer(
            host: "127.0.0.1", port: 0, metrics: DaemonMetrics(registry: PrometheusCollectorRegistry()),
            health: { .healthy("") }, logger: logger, onBound: { bound.yield($0) })
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var portIterator = ports.makeAsyncIterator()
            let port = try #require(await portIterator.next())

            // A client that keeps its connection open after one answered request, as a scraper does.
            let (answered, answer) = AsyncStream.makeStream(of: Void.self)
            tasks.addTask {
                let exchange = try await RawHTTPClient.exchange(
                    port: port, ["GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"], expectClose: true,
                    afterResponses: { answer.yield() })
                #expect(exchange.responses.map(\.status) == [200])
                #expect(exchange.closedByServer)
            }
            var answeredIterator = answered.makeAsyncIterator()
            await answeredIterator.next()

            let clock = ContinuousClock()
            let started = clock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            // Far below the 60 s idle timeout: shutdown did not wait for the client to go away.
            #expect(clock.now - started < .seconds(10))
        }
    }

    @Test("A connection that stays silent is closed after the idle timeout")
    func idleConnectionClosed() async throws {
        try await withServer(idleTimeout: .milliseconds(200)) { port in
            let clock = ContinuousClock()
            let started = clock.now
            let exchange = try await RawHTTPClient.exchange(port: port, [], expectClose: true)
            #expect(exchange.closedByServer)
            #expect(clock.now - started >= .milliseconds(150))
            #expect(clock.now - started < .seconds(10))
        }
    }

    @Test("A client trickling a request head byte by byte is cut at the idle deadline: bytes do not restart it")
    func tricklingClientIsCutAtTheDeadline() async throws {
        try await withServer(idleTimeout: .milliseconds(500)) { port in
            // Timed from before the connect: the server's deadline starts when it accepts, which
            // a loaded machine can let happen well before `connect` returns here.
            let started = ContinuousClock.now
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            // 200 bytes 50 ms apart: an idle timer that every byte restarted would keep the
            // connection for 10 s; the absolute deadline ends it after 0.5 s, plus whatever a
            // machine loaded by ThreadSanitizer adds.
            for byte in ("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 160)).utf8 {
                guard channel.isActive else { break }
                try? await channel.writeAndFlush(ByteBuffer(bytes: [byte])).get()
                try await Task.sleep(for: .milliseconds(50))
            }
            try await channel.closeFuture.get()
            let lasted = ContinuousClock.now - started
            #expect(lasted >= .milliseconds(400) && lasted < .seconds(5), "the connection lasted \(lasted)")
        }
    }

    @Test("A request that takes longer than the request deadline from its head is cut")
    func slowRequestBodyIsCut() async throws {
        try await withServer(idleTimeout: .seconds(30), requestTimeout: .milliseconds(400)) { port in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            let started = ContinuousClock.now
            try await channel.writeAndFlush(
                ByteBuffer(string: "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            ).get()
            // 200 body bytes 50 ms apart would take 10 s; the deadline ends it after 0.4 s, plus
            // whatever a machine loaded by ThreadSanitizer adds.
            for _ in 0..<200 {
                guard channel.isActive else { break }
                try? await channel.writeAndFlush(ByteBuffer(string: "a")).get()
                try await Task.sleep(for: .milliseconds(50))
            }
            try await channel.closeFuture.get()
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("Connections over the cap are closed as soon as they are accepted; those within it are served")
    func connectionsOverTheCapAreClosed() async throws {
        try await withServer(maximumConnections: 2) { port in
            var held: [any Channel] = []
            for _ in 0..<2 {
                held.append(
                    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .connect(host: "127.0.0.1", port: port).get())
            }
            try await Task.sleep(for: .milliseconds(200))  // both accepted and counted
            let extra = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            let started = ContinuousClock.now
            try await extra.closeFuture.get()
            #expect(ContinuousClock.now - started < .seconds(2))
            // Freeing a place lets the next connection through.
            for channel in held { try await channel.close() }
            try await Task.sleep(for: .milliseconds(200))
            let response = try await RawHTTPClient.request(port: port, "/healthz")
            #expect(response.status == 200)
        }
    }

    @Test("The bound address is logged at info")
    func logsBoundAddress() async throws {
        let logs = CollectedLines()
        try await withServer(logs: logs) { port in
            #expect(logs.lines.contains("<6>Metrics server listening. th.address=127.0.0.1:\(port)\n"))
        }
    }

    @Test("A port already in use is an error naming the address")
    func portInUse() async throws {
        try await withServer { port in
            let second = MetricsServer(
                host: "127.0.0.1", port: port, metrics: DaemonMetrics(registry: PrometheusCollectorRegistry()),
                health: { .healthy("") }, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let error = try await #require(throws: MetricsServerError.self) { try await second.run() }
            #expect(error.address == "127.0.0.1:\(port)")
            #expect(error.description.hasPrefix("cannot listen for metrics on 127.0.0.1:\(port): "))
        }
    }
}
