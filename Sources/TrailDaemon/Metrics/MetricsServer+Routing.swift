import NIOCore
import NIOHTTP1

extension MetricsServer {
    /// A complete response: status, extra headers and body.
    struct Response {
        var status: HTTPResponseStatus
        var contentType = "text/plain; charset=utf-8"
        var headers: [(String, String)] = []
        var body: [UInt8]
        /// Whether the connection must close after this response (the request stream is in an unknown state).
        var closes = false

        static func text(_ status: HTTPResponseStatus, _ text: String) -> Response {
            Response(status: status, body: Array((text + "\n").utf8))
        }

        static func tooLarge(status: HTTPResponseStatus) -> Response {
            var response = text(status, "request too large")
            response.closes = true
            return response
        }
    }

    /// The Prometheus text exposition format's content type, as Prometheus's own clients send it.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Routes one request: only `GET`/`HEAD` of `/metrics` and `/healthz`; the query string is ignored.
    func respond(to head: HTTPRequestHead) async -> Response {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard path == "/metrics" || path == "/healthz" else {
            return .text(.notFound, "not found; try /metrics or /healthz")
        }
        guard head.method == .GET || head.method == .HEAD else {
            var response = Response.text(.methodNotAllowed, "method not allowed; use GET or HEAD")
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        }
        if path == "/metrics" {
            return Response(status: .ok, contentType: Self.metricsContentType, body: metrics.render())
        }
        switch await health() {
        case .healthy(let summary):
            return .text(.ok, summary.isEmpty ? "ok" : "ok " + summary)
        case .unhealthy(let reason):
            return .text(.serviceUnavailable, reason.isEmpty ? "unhealthy" : reason)
        }
    }

    /// Writes `response` to `request`'s connection; a `HEAD` gets the headers without the body.
    func write(
        _ response: Response, for request: HTTPRequestHead,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if response.closes || !request.isKeepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version == .http1_0 {
            // HTTP/1.0 closes by default; say it stays open since the client asked for keep-alive.
            headers.add(name: "Connection", value: "keep-alive")
        }
        try await outbound.write(
            .head(HTTPResponseHead(version: request.version, status: response.status, headers: headers)))
        if request.method != .HEAD, !response.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))
    }
}
