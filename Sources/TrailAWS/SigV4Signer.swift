import Crypto
package import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as the AWS SDKs compute it, for one region and
/// service: a pure function of the request, the credentials and the time, so tests pin all three
/// (the AWS signing test suite does, in `../shared/corpus/aws-sigv4-test-suite/`).
///
/// The path is encoded once, every byte but `A-Z a-z 0-9 - _ . ~ /`: what S3 expects of an
/// object key, and what the other services' test cases give for their paths. S3 paths are never
/// normalised (a key may hold `./` or `//`); `normalizesPath` removes dot and empty segments for
/// services that want it.
package struct SigV4Signer: Sendable {
    package var credentials: AWSCredentials
    package var region: String
    package var service: String
    package var normalizesPath: Bool

    package init(credentials: AWSCredentials, region: String, service: String, normalizesPath: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath
    }

    /// A signed request: what to add to it, and the steps on the way (which tests compare).
    package struct Signed: Sendable, Hashable {
        /// The encoded path to send.
        package var path: String
        /// Headers to add to the request.
        package var headers: [SigV4Request.Header] = []
        /// Query parameters to add (presigned form), decoded.
        package var query: [SigV4Request.Parameter] = []
        package var canonicalRequest: String
        package var stringToSign: String
        package var signature: String
    }

    /// Signs with an `Authorization` header. `signsSessionToken: false` adds the session token
    /// after signing, unsigned (as some STS callers do); the default signs it.
    package func sign(_ request: SigV4Request, at date: Date, signsSessionToken: Bool = true) -> Signed {
        let time = Self.amzDate(date)
        var request = request
        request.headers.append(.init("X-Amz-Date", time))
        if let token = credentials.sessionToken, signsSessionToken {
            request.headers.append(.init("X-Amz-Security-Token", token))
        }
        let (canonical, signedHeaders) = canonicalRequest(request)
        let (stringToSign, signature) = signature(of: canonical, time: time)
        var headers = [SigV4Request.Header("X-Amz-Date", time)]
        if let token = credentials.sessionToken { headers.append(.init("X-Amz-Security-Token", token)) }
        headers.append(
            .init(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(time)), "
                    + "SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        return Signed(
            path: encodedPath(request.path), headers: headers, canonicalRequest: canonical, stringToSign: stringToSign,
            signature: signature)
    }

    /// Signs in the query string (a presigned URL valid for `expires` seconds).
    package func presign(_ request: SigV4Request, at date: Date, expires: Int, signsSessionToken: Bool = true) -> Signed {
        let time = Self.amzDate(date)
        var request = request
        let (_, signedHeaders) = canonicalRequest(request)
        var added: [SigV4Request.Parameter] = [
            .init("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            .init("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(time))"),
            .init("X-Amz-Date", time),
            .init("X-Amz-SignedHeaders", signedHeaders),
            .init("X-Amz-Expires", String(expires)),
        ]
        if let token = credentials.sessionToken, signsSessionToken { added.append(.init("X-Amz-Security-Token", token)) }
        request.query += added
        let (canonical, _) = canonicalRequest(request)
        let (stringToSign, signature) = signature(of: canonical, time: time)
        if let token = credentials.sessionToken, !signsSessionToken { added.append(.init("X-Amz-Security-Token", token)) }
        added.append(.init("X-Amz-Signature", signature))
        return Signed(
            path: encodedPath(request.path), query: added, canonicalRequest: canonical, stringToSign: stringToSign,
            signature: signature)
    }

    /// The payload hash of a body (hex SHA-256).
    package static func payloadHash(_ body: some DataProtocol) -> String { hex(SHA256.hash(data: body)) }

    // MARK: The steps

    /// The canonical request, and the signed header names (`a;b;c`).
    func canonicalRequest(_ request: SigV4Request) -> (String, String) {
        var headers: [String: [String]] = [:]
        for header in request.headers {
            headers[header.name.lowercased(), default: []].append(Self.trimmed(header.value))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let query = request.query
            .map { (Self.encode($0.name, keepingSlash: false), Self.encode($0.value, keepingSlash: false)) }
            .sorted { $0 < $1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        let canonical = [
            request.method, encodedPath(request.path), query, canonicalHeaders, signedHeaders, request.payloadHash,
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// The string to sign for a canonical request, and its signature (hex).
    func signature(of canonicalRequest: String, time: String) -> (String, String) {
        let stringToSign = [
            "AWS4-HMAC-SHA256", time, scope(time), Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [String(time.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)
        return (stringToSign, Self.hex(signature))
    }

    func scope(_ time: String) -> String { "\(time.prefix(8))/\(region)/\(service)/aws4_request" }

    func encodedPath(_ path: String) -> String {
        Self.encode(normalizesPath ? Self.normalized(path) : path, keepingSlash: true)
    }

    /// `20150830T123600Z`.
    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
    }

    /// Percent-encodes every UTF-8 byte but the unreserved ones (and `/` in a path), upper-case hex.
    static func encode(_ text: String, keepingSlash: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                result.append("/")
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// The path with `.` and `..` segments resolved and empty segments removed; a trailing
    /// slash is kept.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty
        return "/" + segments.joined(separator: "/") + (trailing ? "/" : "")
    }

    /// A header value with its ends trimmed and runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
