import Foundation
import Testing
import TrailTestKit

@testable import TrailAWS

/// SQS message bodies, in every shape that announces S3 objects.
struct S3NotificationTests {
    static func s3Event(_ name: String, key: String) -> String {
        #"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1","eventName":"\#(name)","s3":{"bucket":{"name":"trail"},"object":{"key":"\#(key)","size":10,"eTag":"abc","versionId":"v1"}}}]}"#
    }

    static func envelope(_ message: String) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: [
                "Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": message,
            ]), as: UTF8.self)
    }

    @Test func anS3EventsKeyIsFormDecoded() {
        #expect(
            S3Notification.parse(Self.s3Event("ObjectCreated:Put", key: "AWSLogs%2F1%2Fa+b%2Bc%3D.json.gz"))
                == .created([
                    S3ObjectReference(
                        bucket: "trail", key: "AWSLogs/1/a b+c=.json.gz", eTag: "abc", versionID: "v1", size: 10,
                        region: "eu-west-1")
                ]))
    }

    @Test func deletionsTestsAndStrangersAreAcknowledgedNotRead() throws {
        #expect(S3Notification.parse(Self.s3Event("ObjectRemoved:Delete", key: "k")) == .ignored("S3 events of no created object (ObjectRemoved:Delete)"))
        #expect(S3Notification.parse(#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}"#) == .test)
        #expect(S3Notification.parse(try Self.envelope("Hello world!")) == .ignored("an SNS message that is not JSON"))
        #expect(S3Notification.parse("not json") == .ignored("the body is not a JSON object"))
        #expect(S3Notification.parse(#"{"hello":1}"#) == .ignored("not an S3, SNS, CloudTrail or EventBridge notification"))
        // An envelope in an envelope is not followed.
        if case .ignored = S3Notification.parse(try Self.envelope(try Self.envelope("{}"))) {} else { Issue.record("followed") }
    }

    @Test func snsEnvelopesAreOpenedOnce() throws {
        let inner = Self.s3Event("ObjectCreated:CompleteMultipartUpload", key: "x.json.gz")
        #expect(S3Notification.parse(try Self.envelope(inner)) == S3Notification.parse(inner))
        let cloudTrail = #"{"s3Bucket":"trail","s3ObjectKey":["AWSLogs/1/a b.json.gz","AWSLogs/1/c.json.gz"]}"#
        #expect(
            S3Notification.parse(try Self.envelope(cloudTrail))
                == .created([
                    S3ObjectReference(bucket: "trail", key: "AWSLogs/1/a b.json.gz"),
                    S3ObjectReference(bucket: "trail", key: "AWSLogs/1/c.json.gz"),
                ]))
    }

    @Test func anEventBridgeKeyIsTakenAsGivenWithTheDecodedOneToTryNext() {
        let body = #"{"source":"aws.s3","detail-type":"Object Created","region":"us-east-1","detail":{"bucket":{"name":"b"},"object":{"key":"a%3Db","etag":"e","version-id":"v","size":3}}}"#
        #expect(
            S3Notification.parse(body)
                == .created([
                    S3ObjectReference(
                        bucket: "b", key: "a%3Db", alternateKey: "a=b", eTag: "e", versionID: "v", size: 3, region: "us-east-1")
                ]))
        #expect(
            S3Notification.parse(#"{"source":"aws.s3","detail-type":"Object Deleted","detail":{}}"#)
                == .ignored("an EventBridge Object Deleted event"))
    }
}

/// The captured and documented bodies in `../shared/corpus/aws-notification-shapes/`.
@Suite(.enabled(if: SharedCorpus.isAvailable, "needs ../shared/corpus beside the repository"))
struct S3NotificationCorpusTests {
    static func body(_ name: String) throws -> String {
        try String(contentsOfFile: SharedCorpus.path("aws-notification-shapes/" + name), encoding: .utf8)
    }

    static func keys(_ notification: S3Notification) -> [String] {
        guard case .created(let objects) = notification else { return [] }
        return objects.map { "\($0.bucket)/\($0.key)" }
    }

    @Test func everyShapeIsRecognised() throws {
        let cloudTrailKey =
            "trailhound-test-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/07/111122223333_CloudTrail_us-east-1_20261207T0000Z_abc.json.gz"
        let expected: [String: [String]] = [
            "aws-doc-s3-objectcreated-put.json": ["mybucket/HappyFace.jpg"],
            "powertools-pr4069-sqs-body-s3-direct.json": ["sqs-s3-unwrap-bucket/samconfig.toml"],
            "powertools-pr4069-sqs-body-sns-raw-s3.json": ["unwraptestevents-bucket/samconfig.toml"],
            "powertools-pr4069-sqs-body-sns-s3.json": ["unwraptestevents-bucket/firehose-s3-template.json"],
            "moto-sqs-body-s3-objectcreated-put.json": [cloudTrailKey],
            "moto-sqs-body-sns-s3-objectcreated-put.json": [
                cloudTrailKey.replacingOccurrences(of: "trailhound-test-bucket", with: "trailhound-test-bucket-sns")
            ],
            "moto-sqs-body-s3-objectcreated-put-special-key.json": [
                "trailhound-test-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/07/custom prefix=a+b:c.json.gz"
            ],
            "aws-doc-eventbridge-s3-object-created.json": ["DOC-EXAMPLE-BUCKET1/example-key"],
            "powertools-pr4069-sqs-body-eventbridge-s3.json": [],  // filled below: whatever its bucket is
        ]
        for (file, keys) in expected where !keys.isEmpty {
            #expect(Self.keys(S3Notification.parse(try Self.body(file))) == keys, "\(file)")
        }
        #expect(Self.keys(S3Notification.parse(try Self.body("powertools-pr4069-sqs-body-eventbridge-s3.json"))).count == 1)
        for file in ["aws-doc-s3-testevent.json", "moto-sqs-body-s3-testevent.json", "moto-sqs-body-sns-s3-testevent.json"] {
            #expect(S3Notification.parse(try Self.body(file)) == .test, "\(file)")
        }
        for file in ["aws-doc-sns-envelope-in-sqs.json", "powertools-sqs-body-sns-envelope.json"] {
            guard case .ignored = S3Notification.parse(try Self.body(file)) else {
                Issue.record("\(file) was not ignored")
                continue
            }
        }
        // CloudTrail's own notification is the Message of an SNS envelope.
        let multiple = try Self.body("aws-doc-cloudtrail-sns-message-multiple.json")
        let wrapped = String(
            decoding: try JSONSerialization.data(withJSONObject: ["Type": "Notification", "Message": multiple]),
            as: UTF8.self)
        #expect(Self.keys(S3Notification.parse(wrapped)).count == 3)
        #expect(Self.keys(S3Notification.parse(multiple)).allSatisfy { $0.hasPrefix("your-bucket-name/AWSLogs/") })
    }
}
