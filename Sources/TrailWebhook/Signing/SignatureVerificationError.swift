/// Why a received webhook signature did not verify.
package enum SignatureVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `webhook-timestamp` header is not a whole number of Unix seconds.
    case invalidTimestamp(String)
    /// The timestamp is further than `tolerance` seconds from `now` (a replay, or a skewed clock).
    case timestampOutsideTolerance(timestamp: Int, now: Int, tolerance: Int)
    /// The signature header holds no signature of a known version (`v1,…` or `sha256=…`).
    case noSignature
    /// None of the `count` signatures matches the body.
    case mismatch(count: Int)

    /// One line naming the failed check.
    package var description: String {
        switch self {
        case .invalidTimestamp(let text):
            return "webhook signature rejected: the timestamp \"\(text)\" is not Unix seconds"
        case .timestampOutsideTolerance(let timestamp, let now, let tolerance):
            return "webhook signature rejected: the timestamp \(timestamp) is \(abs(now - timestamp)) s from now "
                + "(\(now)), more than the \(tolerance) s tolerance; check both clocks"
        case .noSignature:
            return "webhook signature rejected: the signature header holds no v1 signature"
        case .mismatch(let count):
            return "webhook signature rejected: none of the \(count) signature(s) matches the body; "
                + "check that sender and receiver use the same secret"
        }
    }
}
