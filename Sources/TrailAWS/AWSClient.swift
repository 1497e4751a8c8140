package import AsyncHTTPClient
package import Foundation
package import NIOCore
package import NIOHTTP1

/// Where a service answers: `scheme://host[:port]` from a URL (`https://sqs.eu-west-1.amazonaws.com`,
/// moto's `http://127.0.0.1:5000`).
package struct AWSEndpoint: Sendable, Hashable {
    package var scheme: String
    package var host: String
    package var port: Int?

    /// Nil when `url` has no scheme or host.
    package init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = components.port
    }

    /// The `Host` header: the port only when it is not the scheme's own.
    package var authority: String {
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return host }
        return "\(host):\(port)"
    }

    package var origin: String { "\(scheme)://\(authority)" }
}

/// Where an `AWSClient` gets credentials each time it signs (temporary ones are refreshed there).
package protocol AWSCredentialProvider: Sendable {
    func credentials() async throws(AWSError) -> AWSCredentials
}

/// Credentials that do not change (environment variables, a profile's keys).
package struct StaticCredentialProvider: AWSCredentialProvider {
    package let value: AWSCredentials

    package init(_ value: AWSCredentials) { self.value = value }

    package func credentials() async throws(AWSError) -> AWSCredentials { value }
}

/// Signed HTTP calls to AWS on AsyncHTTPClient: signs each request with Signature Version 4, sends
/// it, and turns a failure (a transport error, or the service's JSON or XML error body) into an
/// `AWSError` that names the operation, the resource and, for a denial, the IAM action.
package final class AWSClient: Sendable {
    /// One call.
    package struct Request: Sendable {
        /// The SDK's service id (`SQS`, `S3`), for errors and IAM actions.
        package var service: String
        /// The signing name (`sqs`, `s3`).
        package var signingName: String
        package var operation: String
        /// What the call is about, for errors (`s3://bucket/key`, a queue URL).
        package var resource: String
        package var region: String
        package var endpoint: AWSEndpoint
        package var method: HTTPMethod = .GET
        /// The decoded path (`/bucket/key`).
        package var path: String = "/"
        package var query: [SigV4Request.Parameter] = []
        package var headers: [SigV4Request.Header] = []
        package var body: [UInt8] = []

        package init(
            service: String, signingName: String, operation: String, resource: String, region: String,
            endpoint: AWSEndpoint
        ) {
            self.service = service
            self.signingName = signingName
            self.operation = operation
            self.resource = resource
            self.region = region
            self.endpoint = endpoint
        }
    }

    /// A successful response with its body read.
    package struct Response: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: [UInt8]
    }

    package let http: HTTPClient
    private let provider: any AWSCredentialProvider
    private let clock: @Sendable () -> Date

    /// An HTTP client for AWS calls: a refused or unreachable endpoint fails the call at once
    /// (the caller's backoff decides when to try again) rather than being retried until the
    /// request's deadline, and connecting gives up after `connectTimeout`. The caller shuts it down.
    package static func makeHTTPClient(connectTimeout: TimeAmount = .seconds(10)) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: connectTimeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.idleTimeout = .seconds(50)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// `http` is the caller's (and shut down by it); `clock` dates the signatures.
    package init(
        http: HTTPClient, credentials: any AWSCredentialProvider, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.http = http
        provider = credentials
        self.clock = clock
    }

    /// Sends `request` and reads its response body (up to `limit` bytes); a status of 300 or
    /// more is thrown as the service's error.
    package func send(_ request: Request, limit: Int = 16 << 20, timeout: TimeAmount = .seconds(60))
        async throws(AWSError) -> Response
    {
        let response = try await start(request, timeout: timeout)
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: limit)
        } catch {
            throw Self.transportError(error, request)
        }
        let bytes = Array(body.readableBytesView)
        guard response.status.code < 300 else {
            throw Self.serviceError(status: Int(response.status.code), headers: response.headers, body: bytes, request)
        }
        return Response(status: Int(response.status.code), headers: response.headers, body: bytes)
    }

    /// Sends `request` and returns the response with its body unread (a streamed `GetObject`);
    /// an error status is thrown, its body read.
    package func start(_ request: Request, timeout: TimeAmount = .seconds(60)) async throws(AWSError)
        -> HTTPClientResponse
    {
        let credentials = try await provider.credentials()
        let signer = SigV4Signer(credentials: credentials, region: request.region, service: request.signingName)
        var signable = SigV4Request(
            method: request.method.rawValue, path: request.path, query: request.query,
            headers: [.init("Host", request.endpoint.authority)] + request.headers,
            payloadHash: SigV4Signer.payloadHash(request.body))
        if request.signingName == "s3" { signable.headers.append(.init("x-amz-content-sha256", signable.payloadHash)) }
        let signed = signer.sign(signable, at: clock())
        var query = request.query.map {
            SigV4Signer.encode($0.name, keepingSlash: false) + "=" + SigV4Signer.encode($0.value, keepingSlash: false)
        }.joined(separator: "&")
        if !query.isEmpty { query = "?" + query }
        var outgoing = HTTPClientRequest(url: request.endpoint.origin + signed.path + query)
        outgoing.method = request.method
        for header in signable.headers where header.name != "Host" { outgoing.headers.add(name: header.name, value: header.value) }
        for header in signed.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty || request.method == .POST || request.method == .PUT {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(outgoing, timeout: timeout)
        } catch {
            throw Self.transportError(error, request)
        }
        guard response.status.code >= 300 else { return response }
        let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
        throw Self.serviceError(status: Int(response.status.code), headers: response.headers, body: body, request)
    }

    /// A failure with no response: always worth another try.
    static func transportError(_ error: any Error, _ request: Request) -> AWSError {
        AWSError(
            kind: .transient, service: request.service, operation: request.operation, resource: request.resource,
            message: "no answer from \(request.endpoint.origin): \(error)")
    }

    /// The error a response says: JSON (`__type`, `message`) or XML (`<Code>`, `<Message>`),
    /// whichever the service sent; the status alone when the body is neither.
    static func serviceError(status: Int, headers: HTTPHeaders, body: [UInt8], _ request: Request) -> AWSError {
        var code: String?
        var message: String?
        var requestID = headers.first(name: "x-amzn-RequestId") ?? headers.first(name: "x-amz-request-id")
        let text = String(decoding: body, as: UTF8.self)
        if let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] {
            let type = object["__type"] as? String ?? object["code"] as? String
            code = type.map { String($0.split(separator: "#").last ?? Substring($0)) }
            message = object["message"] as? String ?? object["Message"] as? String
        } else if text.contains("<") {
            code = xmlElement("Code", in: text)
            message = xmlElement("Message", in: text)
            requestID = requestID ?? xmlElement("RequestId", in: text)
        }
        if let header = headers.first(name: "x-amzn-query-error"), code == nil {
            code = String(header.split(separator: ";").first ?? "")
        }
        let fallback = HTTPResponseStatus(statusCode: status).reasonPhrase
        return AWSError(
            kind: AWSError.kind(status: status, code: code), service: request.service, operation: request.operation,
            resource: request.resource, status: status, code: code, message: message ?? code ?? fallback,
            requestID: requestID)
    }

    /// The text of the first `<name>…</name>` in `xml`, unescaped.
    static func xmlElement(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
