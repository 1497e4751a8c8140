import AsyncHTTPClient
import Foundation
import Testing
import TrailTestKit

@testable import TrailAWS

/// The SQS calls against moto's server, with signature checking on.
@Suite(
    .serialized, .enabled(if: MotoServer.isAvailable, "needs moto's server (pip install 'moto[server]'; .ci/run installs it)"))
struct SQSClientTests {
    /// One client for the suite, as the daemon keeps one (never shut down: the process ends).
    static let http = AWSClient.makeHTTPClient()

    static func client(_ moto: MotoServer, secret: String? = nil) -> AWSClient {
        AWSClient(
            http: Self.http,
            credentials: StaticCredentialProvider(
                AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: secret ?? moto.secretAccessKey)))
    }

    @Test func messagesAreReceivedDeletedAndCounted() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        let url = try await moto.python(
            """
            import boto3
            sqs = boto3.client("sqs")
            url = sqs.create_queue(QueueName="trail", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
            for n in range(12): sqs.send_message(QueueUrl=url, MessageBody=f"body {n}")
            print(url)
            """)
        let sqs = try SQSClient(client: Self.client(moto), queueURL: url, region: "us-east-1")
        #expect(try await sqs.attributes(["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"] == "12")
        var received: [SQSClient.Message] = []
        for _ in 0..<5 where received.count < 12 {
            let batch = try await sqs.receive(max: 10, wait: 1)
            #expect(batch.count <= 10)
            received += batch
        }
        #expect(Set(received.map(\.body)) == Set((0..<12).map { "body \($0)" }))
        #expect(received.allSatisfy { $0.receiveCount == 1 && $0.sentTimestamp != nil })
        try await sqs.extendVisibility(received[0], seconds: 60)
        #expect(try await sqs.delete(received).isEmpty)
        #expect(try await sqs.receive(max: 10, wait: 0).isEmpty)
        #expect(try await sqs.attributes(["ApproximateNumberOfMessagesNotVisible"])["ApproximateNumberOfMessagesNotVisible"] == "0")
    }

    @Test func aWrongSecretAndAMissingPermissionSayWhatToFix() async throws {
        let moto = try await MotoServer(
            policy: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:CreateQueue", "sqs:ReceiveMessage", "sqs:GetQueueUrl"], "Resource": "*"}]}"#
        )
        defer { moto.stop() }
        let url = try await moto.python(#"import boto3; print(boto3.client("sqs").create_queue(QueueName="trail")["QueueUrl"])"#)
        let wrong = try SQSClient(client: Self.client(moto, secret: "not-the-secret"), queueURL: url, region: "us-east-1")
        let signature = await #expect(throws: AWSError.self) { try await wrong.receive(max: 1, wait: 0) }
        #expect(signature?.kind == .denied && signature?.code == "SignatureDoesNotMatch")
        #expect(signature?.description.contains("credentials are wrong or expired") == true)
        let sqs = try SQSClient(client: Self.client(moto), queueURL: url, region: "us-east-1")
        #expect(try await sqs.receive(max: 1, wait: 0).isEmpty)
        let denied = await #expect(throws: AWSError.self) { try await sqs.attributes(["All"]) }
        #expect(denied?.kind == .denied)
        #expect(denied?.description.contains("sqs:GetQueueAttributes") == true, "\(String(describing: denied))")
        #expect(denied?.description.contains(url) == true)
    }

    @Test func aServerThatIsNotThereIsTransient() async throws {
        let sqs = try SQSClient(
            client: AWSClient(
                http: Self.http,
                credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b"))),
            queueURL: "http://127.0.0.1:9/123456789012/trail", region: "us-east-1")
        let error = await #expect(throws: AWSError.self) { try await sqs.receive(max: 1, wait: 0) }
        #expect(error?.kind == .transient && error?.operation == "ReceiveMessage")
    }

    @Test func aDenialNamesTheIAMActionTheCallNeeds() {
        func action(_ service: String, _ operation: String) -> String {
            AWSError(kind: .denied, service: service, operation: operation, resource: "r", message: "m").action
        }
        #expect(action("SQS", "ReceiveMessage") == "sqs:ReceiveMessage")
        #expect(action("SQS", "DeleteMessageBatch") == "sqs:DeleteMessage")
        #expect(action("S3", "ListObjectsV2") == "s3:ListBucket")
        #expect(action("S3", "HeadObject") == "s3:GetObject")
        #expect(action("S3", "GetObject") == "s3:GetObject")
    }

    @Test func theRegionComesFromTheQueueURLOrMustBeGiven() throws {
        let client = AWSClient(
            http: Self.http, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "a", secretAccessKey: "b")))
        #expect(try SQSClient(client: client, queueURL: "https://sqs.eu-west-1.amazonaws.com/1/q").region == "eu-west-1")
        #expect(throws: AWSError.self) { try SQSClient(client: client, queueURL: "http://127.0.0.1:5000/1/q") }
        #expect(throws: AWSError.self) { try SQSClient(client: client, queueURL: "queue") }
    }
}
