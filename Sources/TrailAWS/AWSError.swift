/// An AWS call that failed: which service and operation, on what, and why, in the words an
/// operator acts on. `kind` is what the caller does next.
package struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// Throttling, a 5xx, a reset or a timeout: try again later, with backoff.
        case transient
        /// The credentials are not allowed to do this (or are wrong): an operator must act.
        case denied
        /// No such bucket, key or queue.
        case notFound
        /// Anything else the service refused.
        case refused
    }

    package var kind: Kind
    /// `SQS`, `S3`, `STS`.
    package var service: String
    /// `ReceiveMessage`, `GetObject`, …
    package var operation: String
    /// The queue URL, `s3://bucket/key`, … the call was about.
    package var resource: String
    /// The HTTP status, when there was a response.
    package var status: Int?
    /// The service's error code (`AccessDenied`, `SignatureDoesNotMatch`, `ThrottlingException`).
    package var code: String?
    package var message: String
    package var requestID: String?

    package init(
        kind: Kind, service: String, operation: String, resource: String, status: Int? = nil, code: String? = nil,
        message: String, requestID: String? = nil
    ) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.resource = resource
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// The IAM action the call needs (`sqs:ReceiveMessage`, `s3:GetObject`): what a denial lacks.
    /// Most are the operation's name; these are not.
    package var action: String {
        let named = [
            "ListObjectsV2": "s3:ListBucket", "HeadObject": "s3:GetObject", "DeleteMessageBatch": "sqs:DeleteMessage",
            "ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
        ]
        return named[operation] ?? "\(service.lowercased()):\(operation)"
    }

    package var description: String {
        var text = "\(service) \(operation) on \(resource) failed"
        if let status { text += " (HTTP \(status)" + (code.map { ", \($0)" } ?? "") + ")" } else if let code { text += " (\(code))" }
        text += ": \(message)"
        if kind == .denied {
            text += code == "SignatureDoesNotMatch" || code == "InvalidClientTokenId" || code == "InvalidAccessKeyId"
                ? ". The credentials are wrong or expired: check the access key and secret trailhound runs with"
                : ". The credentials lack \(action) on it: allow that action in the IAM policy"
        }
        if let requestID { text += " [request \(requestID)]" }
        return text
    }

    /// The kind an HTTP status and a service error code stand for.
    package static func kind(status: Int, code: String?) -> Kind {
        let throttled: Set<String> = [
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "SlowDown",
            "RequestLimitExceeded", "TooManyRequestsException", "ProvisionedThroughputExceededException",
            "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable",
            "AWS.SimpleQueueService.RequestThrottled", "KmsThrottled",
        ]
        if let code, throttled.contains(code) || code.hasSuffix(".RequestThrottled") { return .transient }
        if status >= 500 || status == 429 { return .transient }
        let denied: Set<String> = [
            "AccessDenied", "AccessDeniedException", "SignatureDoesNotMatch", "InvalidClientTokenId",
            "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException",
            "MissingAuthenticationToken", "IncompleteSignature", "InvalidToken", "AuthFailure",
        ]
        if status == 401 || status == 403 || code.map(denied.contains) == true { return .denied }
        let missing: Set<String> = [
            "NoSuchKey", "NoSuchBucket", "NotFound", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
        ]
        if status == 404 || code.map(missing.contains) == true { return .notFound }
        return .refused
    }
}
