package import AsyncHTTPClient
package import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Credentials from the source `AWSProfileSettings` chose, fetched when first needed and again
/// five minutes before temporary ones expire: STS `AssumeRoleWithWebIdentity` (the token file is
/// read again each time: EKS rotates it), the container endpoint, or the instance profile through
/// IMDSv2. A failed fetch is an `AWSError` (transient, or denied with what to fix); the
/// credentials and tokens themselves never appear in one.
package final class AWSCredentialChain: AWSCredentialProvider, Sendable {
    package let source: AWSProfileSettings.CredentialSource
    private let http: HTTPClient
    /// Where STS answers (`https://sts.<region>.amazonaws.com`, or a configured endpoint).
    private let stsEndpoint: String
    private let clock: @Sendable () -> Date
    private let cached = NIOLockedValueBox<AWSCredentials?>(nil)

    /// How long before expiry temporary credentials are fetched again.
    package static let refreshAhead: TimeInterval = 300

    package init(
        source: AWSProfileSettings.CredentialSource, http: HTTPClient, stsEndpoint: String,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.http = http
        self.stsEndpoint = stsEndpoint
        self.clock = clock
    }

    package func credentials() async throws(AWSError) -> AWSCredentials {
        if let current = cached.withLockedValue({ $0 }), !expiresSoon(current) { return current }
        let fresh = try await fetch()
        cached.withLockedValue { $0 = fresh }
        return fresh
    }

    private func expiresSoon(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(clock()) < Self.refreshAhead
    }

    private func fetch() async throws(AWSError) -> AWSCredentials {
        switch source {
        case .environment(let credentials), .profile(_, let credentials):
            return credentials
        case .webIdentity(let role, let tokenFile, let session):
            return try await assumeRole(role, tokenFile: tokenFile, session: session)
        case .container(let url, let token, let tokenFile):
            return try await container(url, token: token, tokenFile: tokenFile)
        case .instanceMetadata(let endpoint):
            return try await instanceProfile(endpoint)
        }
    }

    // MARK: The sources

    private func assumeRole(_ role: String, tokenFile: String, session: String) async throws(AWSError)
        -> AWSCredentials
    {
        func failure(_ kind: AWSError.Kind, _ message: String, status: Int? = nil, code: String? = nil) -> AWSError {
            AWSError(
                kind: kind, service: "STS", operation: "AssumeRoleWithWebIdentity", resource: role, status: status,
                code: code, message: message)
        }
        guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw failure(.denied, "cannot read the web identity token file \(tokenFile)")
        }
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", role),
            ("RoleSessionName", session), ("WebIdentityToken", token.trimmingCharacters(in: .whitespacesAndNewlines)),
        ].map { SigV4Signer.encode($0.0, keepingSlash: false) + "=" + SigV4Signer.encode($0.1, keepingSlash: false) }
            .joined(separator: "&")
        var request = HTTPClientRequest(url: stsEndpoint.hasSuffix("/") ? stsEndpoint : stsEndpoint + "/")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: form))
        let (status, body) = try await fetch(request) { failure(.transient, $0) }
        guard status < 300 else {
            let code = AWSClient.xmlElement("Code", in: body)
            throw failure(
                AWSError.kind(status: status, code: code), AWSClient.xmlElement("Message", in: body) ?? "HTTP \(status)",
                status: status, code: code)
        }
        guard let key = AWSClient.xmlElement("AccessKeyId", in: body),
            let secret = AWSClient.xmlElement("SecretAccessKey", in: body)
        else { throw failure(.transient, "the answer holds no credentials") }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: secret, sessionToken: AWSClient.xmlElement("SessionToken", in: body),
            expiration: AWSClient.xmlElement("Expiration", in: body).flatMap(Self.date))
    }

    private func container(_ url: String, token: String?, tokenFile: String?) async throws(AWSError) -> AWSCredentials {
        func failure(_ kind: AWSError.Kind, _ message: String, status: Int? = nil) -> AWSError {
            AWSError(
                kind: kind, service: "container credentials", operation: "GET", resource: url, status: status,
                message: message)
        }
        var request = HTTPClientRequest(url: url)
        if let tokenFile {
            guard let value = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw failure(.denied, "cannot read the authorization token file \(tokenFile)")
            }
            request.headers.add(name: "Authorization", value: value.trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let token {
            request.headers.add(name: "Authorization", value: token)
        }
        let (status, body) = try await fetch(request) { failure(.transient, $0) }
        guard status < 300 else {
            throw failure(AWSError.kind(status: status, code: nil), "HTTP \(status)", status: status)
        }
        return try Self.parseJSONCredentials(body) { failure(.transient, $0) }
    }

    private func instanceProfile(_ endpoint: String) async throws(AWSError) -> AWSCredentials {
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        func failure(_ kind: AWSError.Kind, _ message: String, status: Int? = nil) -> AWSError {
            AWSError(
                kind: kind, service: "IMDS", operation: "instance profile credentials", resource: base, status: status,
                message: message)
        }
        var tokenRequest = HTTPClientRequest(url: base + "/latest/api/token")
        tokenRequest.method = .PUT
        tokenRequest.headers.add(name: "X-aws-ec2-metadata-token-ttl-seconds", value: "21600")
        let (tokenStatus, token) = try await fetch(tokenRequest) {
            failure(.transient, "\($0) (under the bundled systemd unit, IPAddressDeny= blocks 169.254.169.254: allow it to use an instance profile)")
        }
        guard tokenStatus < 300 else { throw failure(.transient, "no IMDSv2 token (HTTP \(tokenStatus))", status: tokenStatus) }
        func get(_ path: String) async throws(AWSError) -> String {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "X-aws-ec2-metadata-token", value: token)
            let (status, body) = try await fetch(request) { failure(.transient, $0) }
            if status == 404 {
                throw failure(.denied, "the instance has no IAM role: attach an instance profile", status: status)
            }
            guard status < 300 else { throw failure(.transient, "HTTP \(status) for \(path)", status: status) }
            return body
        }
        let roles = try await get("/latest/meta-data/iam/security-credentials/")
        guard let role = roles.split(separator: "\n").first.map({ String($0).trimmingCharacters(in: .whitespaces) }),
            !role.isEmpty
        else { throw failure(.denied, "the instance has no IAM role: attach an instance profile") }
        let body = try await get("/latest/meta-data/iam/security-credentials/" + role)
        return try Self.parseJSONCredentials(body) { failure(.transient, $0) }
    }

    // MARK: Plumbing

    private func fetch(_ request: HTTPClientRequest, failure: (String) -> AWSError) async throws(AWSError)
        -> (Int, String)
    {
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body))
        } catch {
            throw failure("no answer: \(error)")
        }
    }

    /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`, as containers and IMDS answer.
    static func parseJSONCredentials(_ body: String, failure: (String) -> AWSError) throws(AWSError) -> AWSCredentials {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any],
            let key = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String
        else { throw failure("the answer holds no credentials") }
        if let code = object["Code"] as? String, code != "Success" { throw failure("the answer says \(code)") }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: secret, sessionToken: object["Token"] as? String,
            expiration: (object["Expiration"] as? String).flatMap(date))
    }

    /// An ISO 8601 time, with or without fractions of a second.
    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
