import AsyncHTTPClient
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import TrailDelivery

/// One destination's HTTP client, connected only to the address the destination policy checked.
///
/// The host is resolved and checked before the first request and again every `recheck` (DNS
/// changes are followed, and a DNS answer that turns into a metadata or private address is
/// refused); the client pins the checked address with `dnsOverride`, which keeps `Host` and SNI,
/// so a rebinding between check and connect cannot redirect the request. Redirects are never
/// followed, and at most `WebhookResponse.bodyLimit` bytes of an answer are read.
package actor WebhookEndpoint {
    let url: Secret
    let policy: DestinationPolicy
    nonisolated let connectTimeout: Duration
    nonisolated let timeout: Duration
    let recheck: Duration
    private var client: HTTPClient?
    private var destination: Destination?
    private var checkedAt: ContinuousClock.Instant?

    init(url: Secret, policy: DestinationPolicy, connectTimeout: Duration, timeout: Duration, recheck: Duration) {
        self.url = url
        self.policy = policy
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.recheck = recheck
    }

    /// What one POST came to.
    package enum Outcome: Sendable {
        case response(WebhookResponse)
        case failure(TransportFailure)
        /// The destination policy refuses where the URL now points (or its name does not resolve).
        case refused(DestinationError)
    }

    /// POSTs `body` with `headers` and reads the answer (its first 64 KiB).
    func post(_ body: [UInt8], headers: [(String, String)]) async -> Outcome {
        let client: HTTPClient
        let destination: Destination
        switch await current() {
        case .success(let pair): (client, destination) = pair
        case .failure(let error): return .refused(error)
        }
        var request = HTTPClientRequest(url: destination.url.unredactedValue)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "trailhound/0.1")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = ContinuousClock.now + timeout
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: TimeAmount(timeout))
        } catch {
            return .failure(Self.failure(error))
        }
        // The status is the verdict: a body that stalls or breaks after it is only cut short (a
        // 2xx must not be resent), and the deadline covers the body too, which the client's own
        // timeout stops doing once the head has arrived.
        var prefix: [UInt8] = []
        var truncated = false
        do {
            for try await chunk in response.body {
                let room = WebhookResponse.bodyLimit - prefix.count
                prefix += chunk.readableBytesView.prefix(room)
                if chunk.readableBytes > room || ContinuousClock.now >= deadline {
                    truncated = true
                    break  // stop reading: the rest is dropped with the connection
                }
            }
        } catch {
            truncated = true
        }
        return .response(
            WebhookResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: prefix, truncated: truncated))
    }

    /// The client for the destination as last checked, checking (again) when due.
    private func current() async -> Result<(HTTPClient, Destination), DestinationError> {
        if let client, let destination, let checkedAt, destination.isIPLiteral || checkedAt.duration(to: .now) < recheck
        {
            return .success((client, destination))
        }
        let policy = self.policy
        let url = self.url
        // getaddrinfo blocks: keep it off the cooperative pool.
        let checked: Result<Destination, DestinationError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(DestinationError) in try policy.check(url: url) })
            }
        }
        switch checked {
        case .failure(let error):
            // DNS down for a moment: keep using the address checked last rather than fail.
            if case .unresolvable = error.problem, let client, let destination {
                checkedAt = .now
                return .success((client, destination))
            }
            return .failure(error)
        case .success(var fresh):
            checkedAt = .now
            // Round-robin DNS reorders its answers: keep the pinned address while it is still one
            // of them, so the connection (and the client) survives the recheck.
            if let client, let destination, fresh.addresses.contains(destination.pinnedAddress) {
                fresh.addresses =
                    [destination.pinnedAddress] + fresh.addresses.filter { $0 != destination.pinnedAddress }
                self.destination = fresh
                return .success((client, fresh))
            }
            // The sender is serial, so nothing is in flight on the old client.
            if let old = client { try? await old.shutdown() }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(
                    connect: TimeAmount(connectTimeout), read: TimeAmount(timeout)))
            configuration.dnsOverride = fresh.dnsOverride
            configuration.connectionPool = .init(idleTimeout: .seconds(60))
            let made = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            client = made
            destination = fresh
            return .success((made, fresh))
        }
    }

    /// Closes the connections.
    func shutdown() async {
        if let client { try? await client.shutdown() }
        client = nil
    }

    /// The transport failure an HTTP client error stands for.
    static func failure(_ error: any Error) -> TransportFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout: return .timedOut(connect: true)
            case .readTimeout, .deadlineExceeded, .writeTimeout: return .timedOut(connect: false)
            case .remoteConnectionClosed: return .reset
            default: return .other("\(error)")
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .refused
            case ECONNRESET, EPIPE: return .reset
            case ETIMEDOUT: return .timedOut(connect: true)
            default: return .other("\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return .refused
            }
            return .other("cannot connect: \(error.connectionErrors.map { "\($0.error)" }.joined(separator: "; "))")
        }
        if error is ChannelError {
            if case .connectTimeout = error as? ChannelError { return .timedOut(connect: true) }
            return .reset
        }
        let text = "\(error)"
        if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") { return .tls(text) }
        return .other(text)
    }
}
