package import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The S3 calls trailhound needs: list a prefix (`ListObjectsV2`, page by page), look at an
/// object (`HeadObject`) and stream it (`GetObject`).
///
/// Addressing: virtual-hosted (`bucket.s3.region.amazonaws.com`) on AWS, path-style
/// (`endpoint/bucket/key`) on a configured endpoint (moto, MinIO, a VPC endpoint URL) and for a
/// bucket whose name has dots, which a virtual host's TLS certificate cannot cover.
package struct S3Client: Sendable {
    /// An object as listed or looked at.
    package struct Object: Sendable, Hashable {
        package var key: String
        package var size: Int
        /// Without the quotes S3 puts around it.
        package var eTag: String
        package var lastModified: String?
        package var versionID: String?
    }

    /// One page of a listing, and the token for the next (nil: the last page).
    package struct Page: Sendable, Hashable {
        package var objects: [Object]
        /// With a delimiter: the prefixes one level down (`AWSLogs/123/`), which hold the rest.
        package var prefixes: [String] = []
        package var next: String?
    }

    package let client: AWSClient
    package let region: String
    /// A configured endpoint (path-style), or nil for AWS's own.
    package let endpoint: AWSEndpoint?

    package init(client: AWSClient, region: String, endpoint: String? = nil) throws(AWSError) {
        self.client = client
        self.region = region
        if let endpoint {
            guard let parsed = AWSEndpoint(endpoint) else {
                throw AWSError(
                    kind: .refused, service: "S3", operation: "configure", resource: endpoint,
                    message: "the S3 endpoint is not an http(s) URL")
            }
            self.endpoint = parsed
        } else {
            self.endpoint = nil
        }
    }

    /// One page of the keys under `prefix` (up to `limit`, at most 1,000), after `token`; with a
    /// `delimiter`, keys below the next one are rolled up into `Page.prefixes`.
    package func list(
        bucket: String, prefix: String, delimiter: String? = nil, token: String? = nil, limit: Int = 1000
    ) async throws(AWSError) -> Page {
        var request = self.request("ListObjectsV2", bucket: bucket, key: nil, resource: "s3://\(bucket)/\(prefix)")
        request.query = [.init("list-type", "2"), .init("prefix", prefix), .init("max-keys", String(min(limit, 1000)))]
        if let delimiter { request.query.append(.init("delimiter", delimiter)) }
        if let token { request.query.append(.init("continuation-token", token)) }
        let response = try await client.send(request)
        let parsed = ListingParser(response.body)
        guard parsed.ok else {
            throw AWSError(
                kind: .transient, service: "S3", operation: "ListObjectsV2", resource: request.resource,
                status: response.status, message: "the listing is not the XML S3 sends")
        }
        return Page(objects: parsed.objects, prefixes: parsed.prefixes, next: parsed.truncated ? parsed.next : nil)
    }

    /// What S3 says of `key`.
    package func head(bucket: String, key: String, versionID: String? = nil) async throws(AWSError) -> Object {
        var request = self.request("HeadObject", bucket: bucket, key: key, resource: "s3://\(bucket)/\(key)")
        request.method = .HEAD
        if let versionID { request.query = [.init("versionId", versionID)] }
        let response = try await client.send(request)
        return Self.object(key: key, headers: response.headers)
    }

    /// Starts reading `key`: its metadata, and its body unread (to stream into the reader).
    package func get(bucket: String, key: String, versionID: String? = nil) async throws(AWSError)
        -> (object: Object, body: HTTPClientResponse.Body)
    {
        var request = self.request("GetObject", bucket: bucket, key: key, resource: "s3://\(bucket)/\(key)")
        if let versionID { request.query = [.init("versionId", versionID)] }
        let response = try await client.start(request, timeout: .hours(1))
        return (Self.object(key: key, headers: response.headers), response.body)
    }

    func request(_ operation: String, bucket: String, key: String?, resource: String) -> AWSClient.Request {
        let path = key.map { "/" + $0 } ?? "/"
        if let endpoint {
            var request = AWSClient.Request(
                service: "S3", signingName: "s3", operation: operation, resource: resource, region: region,
                endpoint: endpoint)
            request.path = "/" + bucket + (key.map { "/" + $0 } ?? "")
            return request
        }
        let pathStyle = bucket.contains(".")
        let host = pathStyle ? "s3.\(region).amazonaws.com" : "\(bucket).s3.\(region).amazonaws.com"
        var request = AWSClient.Request(
            service: "S3", signingName: "s3", operation: operation, resource: resource, region: region,
            endpoint: AWSEndpoint("https://" + host)!)
        request.path = pathStyle ? "/" + bucket + path : path
        return request
    }

    private static func object(key: String, headers: HTTPHeaders) -> Object {
        Object(
            key: key, size: headers.first(name: "Content-Length").flatMap(Int.init) ?? 0,
            eTag: (headers.first(name: "ETag") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
            lastModified: headers.first(name: "Last-Modified"), versionID: headers.first(name: "x-amz-version-id"))
    }
}

/// Reads a `ListBucketResult`: each `Contents`' key, size, ETag and date, and the truncation.
private final class ListingParser: NSObject, XMLParserDelegate {
    var objects: [S3Client.Object] = []
    var prefixes: [String] = []
    var truncated = false
    var next: String?
    private(set) var ok = false
    private var text = ""
    private var current: [String: String]?
    private var inCommonPrefixes = false

    init(_ body: [UInt8]) {
        super.init()
        let parser = XMLParser(data: Data(body))
        parser.delegate = self
        ok = parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        text = ""
        if name == "Contents" { current = [:] }
        if name == "CommonPrefixes" { inCommonPrefixes = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "Contents":
            if let item = current, let key = item["Key"] {
                objects.append(
                    S3Client.Object(
                        key: key, size: item["Size"].flatMap(Int.init) ?? 0,
                        eTag: (item["ETag"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
                        lastModified: item["LastModified"], versionID: nil))
            }
            current = nil
        case "CommonPrefixes": inCommonPrefixes = false
        case "Prefix" where inCommonPrefixes: prefixes.append(text)
        case "IsTruncated": truncated = text == "true"
        case "NextContinuationToken": next = text
        default: current?[name] = text
        }
    }
}
