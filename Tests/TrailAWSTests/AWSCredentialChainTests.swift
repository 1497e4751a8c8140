import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing
import TrailTestKit

@testable import TrailAWS

/// Temporary credentials, fetched over HTTP from a loopback stand-in for IMDS and the container
/// endpoint, and from moto's STS; refreshed before they expire.
@Suite(.serialized)
struct AWSCredentialChainTests {
    static let http = SQSClientTests.http

    static func credentialsJSON(expiring expiration: Date) -> String {
        let time = ISO8601DateFormatter().string(from: expiration)
        return #"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s3cr3t","Token":"tok","Expiration":"\#(time)"}"#
    }

    @Test func theInstanceProfileIsFetchedWithAnIMDSv2TokenAndRefreshedBeforeItExpires() async throws {
        let start = Date()
        let now = NIOLockedValueBox(start)
        try await WebhookReceiver.withReceiver { imds in
            let answers: [ScriptedResponse] = [
                .status(200, body: "TOKEN"), .status(200, body: "trailhound-role\n"),
                .status(200, headers: [("Content-Type", "application/json")], body: Self.credentialsJSON(expiring: start + 3600)),
            ]
            imds.enqueue(answers + answers)
            let chain = AWSCredentialChain(
                source: .instanceMetadata(endpoint: "http://127.0.0.1:\(imds.port)"), http: Self.http,
                stsEndpoint: "http://127.0.0.1:1", clock: { now.withLockedValue { $0 } })
            let first = try await chain.credentials()
            #expect(first.accessKeyID == "ASIAIMDS" && first.sessionToken == "tok")
            #expect(abs(first.expiration!.timeIntervalSince(start + 3600)) < 1)
            let requests = imds.requests()
            #expect(requests.map(\.method) == ["PUT", "GET", "GET"])
            #expect(
                requests.map(\.path) == [
                    "/latest/api/token", "/latest/meta-data/iam/security-credentials/",
                    "/latest/meta-data/iam/security-credentials/trailhound-role",
                ])
            #expect(requests[0].headers.contains { $0.name.lowercased() == "x-aws-ec2-metadata-token-ttl-seconds" })
            #expect(requests[1].headers.contains { $0.name.lowercased() == "x-aws-ec2-metadata-token" && $0.value == "TOKEN" })
            // Cached while they last; fetched again within five minutes of the end.
            now.withLockedValue { $0 = start + 3000 }
            _ = try await chain.credentials()
            #expect(imds.requests().count == 3)
            now.withLockedValue { $0 = start + 3400 }
            _ = try await chain.credentials()
            #expect(imds.requests().count == 6)
        }
    }

    @Test func anInstanceWithoutARoleSaysSo() async throws {
        try await WebhookReceiver.withReceiver { imds in
            imds.enqueue([.status(200, body: "TOKEN"), .status(404, body: "")])
            let chain = AWSCredentialChain(
                source: .instanceMetadata(endpoint: "http://127.0.0.1:\(imds.port)"), http: Self.http,
                stsEndpoint: "http://127.0.0.1:1")
            let error = await #expect(throws: AWSError.self) { try await chain.credentials() }
            #expect(error?.kind == .denied && error?.description.contains("attach an instance profile") == true)
        }
        let nothing = AWSCredentialChain(
            source: .instanceMetadata(endpoint: "http://127.0.0.1:9"), http: Self.http, stsEndpoint: "http://127.0.0.1:1")
        let error = await #expect(throws: AWSError.self) { try await nothing.credentials() }
        #expect(error?.kind == .transient && error?.description.contains("169.254.169.254") == true)
    }

    @Test func theContainerEndpointGetsTheTokenFromItsFileEachTime() async throws {
        let directory = try TemporaryDirectory("aws-container")
        let tokenFile = try directory.write("token", "pod-identity-token\n")
        try await WebhookReceiver.withReceiver { endpoint in
            endpoint.enqueue([.status(200, body: Self.credentialsJSON(expiring: Date() + 3600))])
            let chain = AWSCredentialChain(
                source: .container(
                    url: "http://127.0.0.1:\(endpoint.port)/v1/credentials", authorizationToken: nil,
                    authorizationTokenFile: tokenFile),
                http: Self.http, stsEndpoint: "http://127.0.0.1:1")
            #expect(try await chain.credentials().secretAccessKey == "s3cr3t")
            let request = try #require(endpoint.requests().first)
            #expect(request.path == "/v1/credentials")
            #expect(request.headers.contains { $0.name.lowercased() == "authorization" && $0.value == "pod-identity-token" })
        }
    }

    @Test(.enabled(if: MotoServer.isAvailable, "needs moto's server (pip install 'moto[server]'; .ci/run installs it)"))
    func aWebIdentityTokenIsExchangedAtSTS() async throws {
        // AssumeRoleWithWebIdentity is not signed (the token is the credential); moto with
        // signature checks on refuses any unsigned call, so this one runs without them.
        let moto = try await MotoServer(checksSignatures: false)
        defer { moto.stop() }
        let directory = try TemporaryDirectory("aws-web-identity")
        let tokenFile = try directory.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2ln\n")
        let chain = AWSCredentialChain(
            source: .webIdentity(
                roleARN: "arn:aws:iam::123456789012:role/trailhound", tokenFile: tokenFile, sessionName: "trailhound"),
            http: Self.http, stsEndpoint: moto.endpoint)
        let credentials = try await chain.credentials()
        #expect(!credentials.accessKeyID.isEmpty && !credentials.secretAccessKey.isEmpty)
        #expect(credentials.sessionToken?.isEmpty == false && credentials.expiration != nil)
        let missing = AWSCredentialChain(
            source: .webIdentity(roleARN: "arn:r", tokenFile: directory.path + "/absent", sessionName: "s"),
            http: Self.http, stsEndpoint: moto.endpoint)
        let error = await #expect(throws: AWSError.self) { try await missing.credentials() }
        #expect(error?.description.contains("absent") == true)
    }
}
