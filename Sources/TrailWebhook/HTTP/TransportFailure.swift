/// Why a request got no HTTP response at all, in terms the sink can act on.
///
/// The sink maps its HTTP client's errors (AsyncHTTPClient, NIO) to these cases; every one is
/// worth a retry (``ResponseClassifier/classify(_:provider:)``), because none says anything about
/// the payload, and the alert waits in the outbox meanwhile. Details are the client's messages
/// and must not contain the URL (pass host names at most).
package enum TransportFailure: Sendable, Hashable, CustomStringConvertible {
    /// The destination refused the TCP connection (nothing listening).
    case refused
    /// The connection was reset or closed before a complete response.
    case reset
    /// No connection within the connect timeout (`connect: true`), or no complete response within
    /// the request timeout.
    case timedOut(connect: Bool)
    /// The TLS handshake failed: certificate, hostname or protocol; the client's detail.
    case tls(String)
    /// The host name did not resolve; the resolver's detail.
    case dns(String)
    /// Anything else; the client's detail.
    case other(String)

    /// A short phrase for the failure, with the likely cause.
    package var description: String {
        switch self {
        case .refused:
            return "connection refused (nothing is listening at the destination)"
        case .reset:
            return "connection reset before a complete response"
        case .timedOut(connect: true):
            return "connect timed out (destination down or filtered)"
        case .timedOut(connect: false):
            return "timed out waiting for the response"
        case .tls(let detail):
            return "TLS handshake failed: \(BodySnippet.sanitize(detail, limit: 160)) (check the certificate, "
                + "the host name and both clocks)"
        case .dns(let detail):
            return "name resolution failed: \(BodySnippet.sanitize(detail, limit: 160))"
        case .other(let detail):
            return "transport error: \(BodySnippet.sanitize(detail, limit: 160))"
        }
    }
}
