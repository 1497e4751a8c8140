import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TrailTestKit

@testable import TrailAWS

/// The S3 calls against moto's server, with signature checking on.
@Suite(
    .serialized, .enabled(if: MotoServer.isAvailable, "needs moto's server (pip install 'moto[server]'; .ci/run installs it)"))
struct S3ClientTests {
    static func s3(_ moto: MotoServer) throws -> S3Client {
        try S3Client(
            client: AWSClient(
                http: SQSClientTests.http,
                credentials: StaticCredentialProvider(
                    AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey))),
            region: "us-east-1", endpoint: moto.endpoint)
    }

    /// An object is listed, looked at and read with the signature checked.
    @Test func aSignedListHeadAndGetReadTheObject() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        try await moto.python(
            """
            import boto3
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="trail")
            s3.put_object(Bucket="trail", Key="trail.json.gz", Body=b"0123456789")
            """)
        let s3 = try Self.s3(moto)
        #expect(try await s3.list(bucket: "trail", prefix: "").objects.map(\.key) == ["trail.json.gz"])
        let head = try await s3.head(bucket: "trail", key: "trail.json.gz")
        #expect(head.size == 10 && head.eTag == "781e5e245d69b566979b86e28d23f2c7")
        let (object, body) = try await s3.get(bucket: "trail", key: "trail.json.gz")
        #expect(object.eTag == head.eTag)
        var bytes: [UInt8] = []
        for try await chunk in body { bytes += chunk.readableBytesView }
        #expect(bytes == Array("0123456789".utf8))
    }

    /// Keys with a space, `+`, `=`, `:` and UTF-8 are listed page by page under a prefix, looked
    /// at and read back exactly. (Without moto's signature checks: see `MotoServer.init`.)
    @Test func keysAreListedPageByPageAndReadBackExactly() async throws {
        let moto = try await MotoServer(checksSignatures: false)
        defer { moto.stop() }
        try await moto.python(
            """
            import boto3
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="trail")
            for n in range(7):
                s3.put_object(Bucket="trail", Key=f"AWSLogs/1/CloudTrail/us-east-1/2026/12/07/f {n}+a=b:ü.json.gz", Body=b"x" * (n + 1))
            s3.put_object(Bucket="trail", Key="AWSLogs/1/CloudTrail/us-east-1/2026/12/08/later.json.gz", Body=b"later")
            """)
        let s3 = try Self.s3(moto)
        var keys: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await s3.list(bucket: "trail", prefix: "AWSLogs/1/CloudTrail/us-east-1/2026/12/07/", token: token, limit: 3)
            keys += page.objects.map(\.key)
            token = page.next
            pages += 1
        } while token != nil && pages < 10
        #expect(pages == 3)
        #expect(keys == (0..<7).map { "AWSLogs/1/CloudTrail/us-east-1/2026/12/07/f \($0)+a=b:ü.json.gz" })
        let key = keys[4]
        let head = try await s3.head(bucket: "trail", key: key)
        #expect(head.size == 5 && head.eTag.count == 32)
        let (object, body) = try await s3.get(bucket: "trail", key: key)
        #expect(object.eTag == head.eTag)
        var bytes: [UInt8] = []
        for try await chunk in body { bytes += chunk.readableBytesView }
        #expect(bytes == Array("xxxxx".utf8))
    }

    @Test func aMissingKeyAndAMissingPermissionAreToldApart() async throws {
        let moto = try await MotoServer(
            policy: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:CreateBucket", "s3:PutObject", "s3:ListBucket"], "Resource": "*"}]}"#
        )
        defer { moto.stop() }
        try await moto.python(
            """
            import boto3
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="trail")
            s3.put_object(Bucket="trail", Key="secret.json.gz", Body=b"x")
            """)
        let s3 = try Self.s3(moto)
        #expect(try await s3.list(bucket: "trail", prefix: "").objects.map(\.key) == ["secret.json.gz"])
        let denied = await #expect(throws: AWSError.self) { try await s3.get(bucket: "trail", key: "secret.json.gz") }
        #expect(denied?.kind == .denied)
        #expect(denied?.description.contains("s3:GetObject") == true && denied?.description.contains("s3://trail/secret.json.gz") == true)
        let other = try await MotoServer()
        defer { other.stop() }
        try await other.python(#"import boto3; boto3.client("s3").create_bucket(Bucket="trail")"#)
        let missing = await #expect(throws: AWSError.self) { try await Self.s3(other).head(bucket: "trail", key: "nothing") }
        #expect(missing?.kind == .notFound)
    }

    @Test func awsAddressingIsVirtualHostedUnlessTheBucketHasDots() throws {
        // The request is built, not sent: its URL is what addressing decides.
        let client = AWSClient(
            http: SQSClientTests.http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b")))
        let s3 = try S3Client(client: client, region: "eu-west-1")
        let plain = s3.request("GetObject", bucket: "trail", key: "AWSLogs/a b.json.gz", resource: "")
        #expect(plain.endpoint.origin == "https://trail.s3.eu-west-1.amazonaws.com" && plain.path == "/AWSLogs/a b.json.gz")
        let dotted = s3.request("GetObject", bucket: "my.trail", key: "k", resource: "")
        #expect(dotted.endpoint.origin == "https://s3.eu-west-1.amazonaws.com" && dotted.path == "/my.trail/k")
        let listing = s3.request("ListObjectsV2", bucket: "trail", key: nil, resource: "")
        #expect(listing.path == "/")
        let custom = try S3Client(client: client, region: "eu-west-1", endpoint: "http://127.0.0.1:9000")
        let pathStyle = custom.request("GetObject", bucket: "trail", key: "k", resource: "")
        #expect(pathStyle.endpoint.origin == "http://127.0.0.1:9000" && pathStyle.path == "/trail/k")
        #expect(throws: AWSError.self) { try S3Client(client: client, region: "eu-west-1", endpoint: "not a url") }
    }
}
