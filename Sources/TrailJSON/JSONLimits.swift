/// Bounds the scanner enforces on every document it reads.
///
/// The depth limit keeps recursion bounded on hostile input; CloudTrail records nest a dozen
/// levels at most, so the default leaves a wide margin.
package struct JSONLimits: Sendable, Hashable {
    /// Deepest nesting of arrays and objects accepted; one more level is a `tooDeep` error.
    package var maxDepth: Int
    /// Largest record accepted, in bytes; a larger one is a `recordTooLarge` error. CloudTrail
    /// caps an event at 256 KB for CloudWatch Logs, so the default leaves a wide margin, and the
    /// hard ceiling keeps byte offsets within 32 bits.
    package var maxRecordBytes: Int

    package init(maxDepth: Int = JSONLimits.defaultMaxDepth, maxRecordBytes: Int = JSONLimits.defaultMaxRecordBytes) {
        self.maxDepth = max(1, maxDepth)
        self.maxRecordBytes = min(max(1, maxRecordBytes), Int(Int32.max))
    }

    package static let defaultMaxDepth = 256
    package static let defaultMaxRecordBytes = 16 << 20
    package static let `default` = JSONLimits()
}
