import Foundation
import NIOCore
import NIOHTTP1

/// The SQS calls the SQS source needs, through SQS's JSON protocol (`X-Amz-Target:
/// AmazonSQS.<Action>`): receive, delete in batches, extend visibility, and read the queue's
/// attributes (its depth for `trailhound status`).
package struct SQSClient: Sendable {
    /// A message as received.
    package struct Message: Sendable, Hashable {
        package var id: String
        package var receiptHandle: String
        package var body: String
        /// How many times SQS has handed it out, this time included.
        package var receiveCount: Int
        /// When it was first sent, ms since 1970.
        package var sentTimestamp: Int64?
    }

    package let client: AWSClient
    package let queueURL: String
    package let endpoint: AWSEndpoint
    package let region: String

    /// A client for `queueURL`, at `endpoint` (nil: the queue URL's own host) in `region` (nil:
    /// the region the queue URL names, `sqs.<region>.amazonaws.com`).
    package init(client: AWSClient, queueURL: String, endpoint: String? = nil, region: String? = nil) throws(AWSError) {
        func invalid(_ why: String) -> AWSError {
            AWSError(kind: .refused, service: "SQS", operation: "configure", resource: queueURL, message: why)
        }
        guard let queue = AWSEndpoint(queueURL) else { throw invalid("not an http(s) queue URL") }
        guard let chosen = endpoint.map({ AWSEndpoint($0) }) ?? queue else {
            throw invalid("the SQS endpoint \(endpoint ?? "") is not an http(s) URL")
        }
        let labels = queue.host.split(separator: ".")
        let named = labels.count >= 4 && labels[0] == "sqs" ? String(labels[1]) : nil
        guard let region = region ?? named else {
            throw invalid("no region: set it in the configuration or AWS_REGION (the queue URL does not name one)")
        }
        self.client = client
        self.queueURL = queueURL
        self.endpoint = chosen
        self.region = region
    }

    /// Long-polls for up to `max` messages (1–10), waiting up to `wait` seconds (0–20).
    package func receive(max: Int, wait: Int, visibility: Int? = nil) async throws(AWSError) -> [Message] {
        var body: [String: Any] = [
            "QueueUrl": queueURL, "MaxNumberOfMessages": min(Swift.max(max, 1), 10),
            "WaitTimeSeconds": min(Swift.max(wait, 0), 20),
            "MessageSystemAttributeNames": ["ApproximateReceiveCount", "SentTimestamp"],
            "AttributeNames": ["ApproximateReceiveCount", "SentTimestamp"],
        ]
        if let visibility { body["VisibilityTimeout"] = visibility }
        let response = try await call("ReceiveMessage", body, timeout: .seconds(Int64(wait) + 30))
        let messages = response["Messages"] as? [[String: Any]] ?? []
        return messages.compactMap { message in
            guard let id = message["MessageId"] as? String, let handle = message["ReceiptHandle"] as? String,
                let body = message["Body"] as? String
            else { return nil }
            let attributes = message["Attributes"] as? [String: String] ?? [:]
            return Message(
                id: id, receiptHandle: handle, body: body,
                receiveCount: attributes["ApproximateReceiveCount"].flatMap(Int.init) ?? 1,
                sentTimestamp: attributes["SentTimestamp"].flatMap(Int64.init))
        }
    }

    /// Deletes messages (up to 10 a call); returns the ids SQS did not delete, with why.
    package func delete(_ messages: [Message]) async throws(AWSError) -> [String: String] {
        var failed: [String: String] = [:]
        for start in stride(from: 0, to: messages.count, by: 10) {
            let batch = messages[start..<min(start + 10, messages.count)]
            let entries = batch.enumerated().map { ["Id": "m\($0.offset)", "ReceiptHandle": $0.element.receiptHandle] }
            let response = try await call("DeleteMessageBatch", ["QueueUrl": queueURL, "Entries": entries])
            for entry in response["Failed"] as? [[String: Any]] ?? [] {
                guard let tag = entry["Id"] as? String, let index = Int(tag.dropFirst()), index < batch.count else { continue }
                failed[batch[batch.startIndex + index].id] =
                    (entry["Code"] as? String ?? "?") + ": " + (entry["Message"] as? String ?? "")
            }
        }
        return failed
    }

    /// Keeps `message` hidden from other consumers for `seconds` more from now.
    package func extendVisibility(_ message: Message, seconds: Int) async throws(AWSError) {
        _ = try await call(
            "ChangeMessageVisibility",
            ["QueueUrl": queueURL, "ReceiptHandle": message.receiptHandle, "VisibilityTimeout": seconds])
    }

    /// The queue's attributes (`ApproximateNumberOfMessages`, `VisibilityTimeout`, …).
    package func attributes(_ names: [String]) async throws(AWSError) -> [String: String] {
        let response = try await call("GetQueueAttributes", ["QueueUrl": queueURL, "AttributeNames": names])
        return response["Attributes"] as? [String: String] ?? [:]
    }

    private func call(_ action: String, _ body: [String: Any], timeout: TimeAmount = .seconds(60))
        async throws(AWSError) -> [String: Any]
    {
        var request = AWSClient.Request(
            service: "SQS", signingName: "sqs", operation: action, resource: queueURL, region: region,
            endpoint: endpoint)
        request.method = .POST
        request.headers = [
            .init("Content-Type", "application/x-amz-json-1.0"), .init("X-Amz-Target", "AmazonSQS." + action),
        ]
        request.body = Array((try? JSONSerialization.data(withJSONObject: body)) ?? Data())
        let response = try await client.send(request, timeout: timeout)
        if response.body.isEmpty { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw AWSError(
                kind: .transient, service: "SQS", operation: action, resource: queueURL, status: response.status,
                message: "the answer is not JSON: \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
        return object
    }
}
