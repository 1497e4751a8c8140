import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback HTTP/1.1 webhook endpoint for tests that records every request and misbehaves on demand.
///
/// It stands in for Slack, Teams, Discord, PagerDuty or a signed generic webhook (operations.md §1.7
/// and §2): answers can be scripted one by one (``enqueue(_:)``) or drawn from seeded
/// ``ReceiverFaults`` (429 with `Retry-After`, 500, connection resets, delays), a header can act as
/// an idempotency key, and ``goDown()``/``comeBack()`` simulate an outage on the same port.
/// Connections are kept alive, as AsyncHTTPClient's pool expects; bodies are read whole up to
/// ``maximumBodyBytes`` and answered 413 beyond.
///
/// It listens on 127.0.0.1 only and serves on NIO's shared event loops; call ``shutdown()`` when done.
package final class WebhookReceiver: Sendable {
    /// The largest body accepted; a bigger one is answered `413` and its connection closed.
    package let maximumBodyBytes: Int

    private let state: NIOLockedValueBox<ReceiverState>
    private let sockets: NIOLockedValueBox<Sockets>

    /// The listening socket and the open connections, so an outage can cut them all.
    private struct Sockets: Sendable {
        var port: Int
        var listener: (any Channel)?
        /// Whether new connections are served; false from the start of ``goDown()``.
        var listening = false
        var stopped = false
        var open: [Int: any Channel] = [:]
        var connectionsAccepted = 0
    }

    private init(port: Int, faults: ReceiverFaults, maximumBodyBytes: Int) {
        self.maximumBodyBytes = maximumBodyBytes
        state = NIOLockedValueBox(ReceiverState(faults: faults))
        sockets = NIOLockedValueBox(Sockets(port: port))
    }

    /// Starts listening on 127.0.0.1.
    ///
    /// - Parameters:
    ///   - port: The TCP port; 0 (the default) lets the kernel pick a free one, read it from ``port``.
    ///   - faults: What to do wrong; ``ReceiverFaults/none`` answers every request `200 ok`.
    ///   - maximumBodyBytes: The body size limit, 4 MiB by default.
    /// - Throws: ``WebhookReceiverError`` when the port cannot be bound.
    package static func start(
        port: Int = 0, faults: ReceiverFaults = .none, maximumBodyBytes: Int = 4 * 1024 * 1024
    ) async throws -> WebhookReceiver {
        let receiver = WebhookReceiver(port: port, faults: faults, maximumBodyBytes: maximumBodyBytes)
        try await receiver.listen()
        return receiver
    }

    /// Runs `body` with a receiver started as by ``start(port:faults:maximumBodyBytes:)``, then shuts it
    /// down, also when `body` throws, so a failing test does not leave a port open.
    package static func withReceiver<Result>(
        port: Int = 0, faults: ReceiverFaults = .none, maximumBodyBytes: Int = 4 * 1024 * 1024,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (WebhookReceiver) async throws -> Result
    ) async throws -> Result {
        let receiver = try await start(port: port, faults: faults, maximumBodyBytes: maximumBodyBytes)
        do {
            let result = try await body(receiver)
            await receiver.shutdown()
            return result
        } catch {
            await receiver.shutdown()
            throw error
        }
    }

    /// The port it listens on, the same across ``goDown()`` and ``comeBack()``.
    package var port: Int {
        sockets.withLockedValue { $0.port }
    }

    /// The URL of `path` on this receiver, such as `http://127.0.0.1:PORT/hook`.
    package func url(path: String = "/hook") -> String {
        "http://127.0.0.1:\(port)" + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Every complete request in the order its answer was decided, faulted ones included.
    package func requests() -> [ReceivedRequest] {
        state.withLockedValue { $0.requests }
    }

    /// The requests answered 2xx, except duplicates of an idempotency key already accepted.
    ///
    /// A request counts from the moment its 2xx answer is decided, before any delay, like a service that
    /// posts the message and then answers; a client that gives up during the delay leaves it in doubt.
    package func accepted() -> [ReceivedRequest] {
        state.withLockedValue { $0.accepted }
    }

    /// Replaces the faults and restarts their generator from the new seed; queued scripted answers stay.
    package func setFaults(_ faults: ReceiverFaults) {
        state.withLockedValue { $0.faults = faults }
    }

    /// Queues answers for the next requests, in order, ahead of the faults and of anything queued later.
    package func enqueue(_ responses: [ScriptedResponse]) {
        state.withLockedValue { $0.script += responses }
    }

    /// Waits until at least `count` requests have been accepted.
    ///
    /// - Returns: Whether they were, false if `timeout` passed (or the task was cancelled) first.
    package func waitForAccepted(count: Int, timeout: Duration) async -> Bool {
        await wait(timeout: timeout) { $0.accepted.count >= count }
    }

    /// Waits until at least `count` requests have been read, whatever their answer (a hang included).
    ///
    /// - Returns: Whether they were, false if `timeout` passed (or the task was cancelled) first.
    package func waitForRequests(count: Int, timeout: Duration) async -> Bool {
        await wait(timeout: timeout) { $0.requests.count >= count }
    }

    /// Simulates an outage: stops listening, so new connections are refused (`ECONNREFUSED`), and resets
    /// every open connection, including those waiting on a delayed or hanging answer.
    ///
    /// What was recorded stays. Does nothing if the receiver is already down.
    package func goDown() async {
        let (listener, open) = sockets.withLockedValue { sockets in
            sockets.listening = false
            defer { sockets.listener = nil }
            return (sockets.listener, Array(sockets.open.values))
        }
        try? await listener?.close()
        for channel in open {
            Self.reset(channel)
            try? await channel.closeFuture.get()
        }
    }

    /// Ends an outage: listens again on the same port.
    ///
    /// The listening socket sets `SO_REUSEADDR`, so connections of the previous life still in
    /// `TIME_WAIT` do not block the bind. Does nothing if the receiver is up.
    /// - Throws: ``WebhookReceiverError`` when the port was taken meanwhile or after ``shutdown()``.
    package func comeBack() async throws {
        let (up, stopped, port) = sockets.withLockedValue { ($0.listener != nil, $0.stopped, $0.port) }
        guard !stopped else { throw WebhookReceiverError(port: port, reason: "the receiver was shut down") }
        guard !up else { return }
        try await listen()
    }

    /// Stops listening and resets every connection for good; ``comeBack()`` then throws.
    package func shutdown() async {
        sockets.withLockedValue { $0.stopped = true }
        await goDown()
    }

    // MARK: - Serving

    /// Called by ``ReceiverHandler`` with each complete request.
    func receive(_ request: ReceivedRequest) -> ReceiverReply {
        state.withLockedValue { $0.receive(request) }
    }

    /// Called by ``ReceiverHandler`` with a request whose body was over the limit.
    func receiveOversized(_ request: ReceivedRequest) -> ReceiverReply {
        state.withLockedValue { $0.receiveOversized(request) }
    }

    /// Closes `channel` with a TCP reset rather than an orderly FIN.
    ///
    /// `SO_LINGER` with a zero timeout makes `close(2)` discard unsent data and send RST, which the
    /// client sees as `ECONNRESET`: the way a crashed or overloaded server or a middlebox drops a
    /// connection, and the case a sender must treat as "delivery in doubt".
    static func reset(_ channel: any Channel) {
        guard let options = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func listen() async throws {
        let port = sockets.withLockedValue { sockets in
            sockets.listening = true
            return sockets.port
        }
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 128)
                .childChannelInitializer { [self] channel in serve(channel) }
                .bind(host: "127.0.0.1", port: port)
                .get()
        } catch {
            sockets.withLockedValue { $0.listening = false }
            throw WebhookReceiverError(port: port, reason: "\(error)")
        }
        sockets.withLockedValue { sockets in
            sockets.listener = listener
            sockets.port = listener.localAddress?.port ?? port
        }
    }

    /// Sets up an accepted connection, or refuses it when an outage began after the kernel accepted it.
    private func serve(_ channel: any Channel) -> EventLoopFuture<Void> {
        let connection: Int? = sockets.withLockedValue { sockets in
            guard sockets.listening else { return nil }
            sockets.connectionsAccepted += 1
            sockets.open[sockets.connectionsAccepted] = channel
            return sockets.connectionsAccepted
        }
        guard let connection else {
            Self.reset(channel)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = sockets.withLockedValue { $0.open.removeValue(forKey: connection) }
        }
        let maximumBodyBytes = maximumBodyBytes
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
            try pipeline.addHandler(
                ReceiverHandler(receiver: self, connection: connection, maximumBodyBytes: maximumBodyBytes))
        }
    }

    /// Polls `condition` every few milliseconds: simpler than waking waiters from the lock, and a test
    /// waits at most a few hundred polls.
    private func wait(timeout: Duration, until condition: (ReceiverState) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if state.withLockedValue({ condition($0) }) { return true }
            guard ContinuousClock.now < deadline else { return false }
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                return state.withLockedValue { condition($0) }
            }
        }
    }
}
