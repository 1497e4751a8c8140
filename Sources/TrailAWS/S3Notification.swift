import Foundation

/// What an SQS message about new S3 objects says, from its body alone, whichever way it came:
/// an S3 event notification (directly, or through SNS with raw delivery), the same in an SNS
/// envelope, CloudTrail's own SNS notification (`{"s3Bucket", "s3ObjectKey": [...]}`), or an
/// EventBridge "Object Created" event. Samples of each, with their sources, are in
/// `../shared/corpus/aws-notification-shapes/`.
package enum S3Notification: Sendable, Hashable {
    /// Objects created, in the order the message lists them.
    case created([S3ObjectReference])
    /// S3's `s3:TestEvent`, sent when a notification is configured: acknowledged, nothing else.
    case test
    /// A message that announces no created object (a deletion, another SNS message, not JSON):
    /// acknowledged and counted, with why.
    case ignored(String)

    /// Reads a message body.
    package static func parse(_ body: String) -> S3Notification {
        guard let object = json(body) else { return .ignored("the body is not a JSON object") }
        return parse(object, depth: 0)
    }

    private static func parse(_ object: [String: Any], depth: Int) -> S3Notification {
        if object["Event"] as? String == "s3:TestEvent" { return .test }
        if let records = object["Records"] as? [[String: Any]] { return s3Event(records) }
        if object["Type"] as? String == "Notification", let message = object["Message"] as? String, depth == 0 {
            guard let inner = json(message) else { return .ignored("an SNS message that is not JSON") }
            return parse(inner, depth: 1)
        }
        if let bucket = object["s3Bucket"] as? String, let keys = object["s3ObjectKey"] as? [String] {
            // CloudTrail's notification: keys as they are, not encoded.
            return .created(keys.map { S3ObjectReference(bucket: bucket, key: $0) })
        }
        if object["source"] as? String == "aws.s3", let kind = object["detail-type"] as? String {
            guard kind == "Object Created" else { return .ignored("an EventBridge \(kind) event") }
            guard let detail = object["detail"] as? [String: Any],
                let bucket = (detail["bucket"] as? [String: Any])?["name"] as? String,
                let item = detail["object"] as? [String: Any], let key = item["key"] as? String
            else { return .ignored("an EventBridge Object Created event without bucket and key") }
            // Whether EventBridge encodes keys is not documented: the key as given, and the
            // decoded one to try if that is not found.
            let decoded = formDecoded(key)
            return .created([
                S3ObjectReference(
                    bucket: bucket, key: key, alternateKey: decoded == key ? nil : decoded,
                    eTag: item["etag"] as? String, versionID: item["version-id"] as? String,
                    size: (item["size"] as? NSNumber)?.intValue, region: object["region"] as? String)
            ])
        }
        return .ignored("not an S3, SNS, CloudTrail or EventBridge notification")
    }

    /// S3 event records: the `ObjectCreated:*` ones (keys form-encoded: `+` is a space).
    private static func s3Event(_ records: [[String: Any]]) -> S3Notification {
        var created: [S3ObjectReference] = []
        var other: [String] = []
        for record in records {
            let name = record["eventName"] as? String ?? "?"
            guard record["eventSource"] as? String == "aws:s3", name.hasPrefix("ObjectCreated:"),
                let s3 = record["s3"] as? [String: Any],
                let bucket = (s3["bucket"] as? [String: Any])?["name"] as? String,
                let item = s3["object"] as? [String: Any], let key = item["key"] as? String
            else {
                other.append(name)
                continue
            }
            created.append(
                S3ObjectReference(
                    bucket: bucket, key: formDecoded(key), eTag: item["eTag"] as? String,
                    versionID: item["versionId"] as? String, size: (item["size"] as? NSNumber)?.intValue,
                    region: record["awsRegion"] as? String))
        }
        if created.isEmpty { return .ignored("S3 events of no created object (\(other.joined(separator: ", ")))") }
        return .created(created)
    }

    private static func json(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, then `%XX` escapes. A
    /// malformed escape is kept as it is.
    package static func formDecoded(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// An S3 object a notification names.
package struct S3ObjectReference: Sendable, Hashable {
    package var bucket: String
    /// The object key, decoded.
    package var key: String
    /// Another reading of the key, to try when `key` is not found (EventBridge keys).
    package var alternateKey: String?
    package var eTag: String?
    package var versionID: String?
    package var size: Int?
    package var region: String?

    package init(
        bucket: String, key: String, alternateKey: String? = nil, eTag: String? = nil, versionID: String? = nil,
        size: Int? = nil, region: String? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.alternateKey = alternateKey
        self.eTag = eTag
        self.versionID = versionID
        self.size = size
        self.region = region
    }
}
