/// Bounds the scanner enforces on every document it reads.
///
/// The depth limit keeps recursion bounded on hostile input; CloudTrail records nest a dozen
/// levels at most, so the default leaves a wide margin.
package struct JSONLimits: Sendable, Hashable {
    /// Deepest nesting of arrays and objects accepted; one more level is a `tooDeep` error.
    package var maxDepth: Int

    package init(maxDepth: Int = JSONLimits.defaultMaxDepth) {
        self.maxDepth = max(1, maxDepth)
    }

    package static let defaultMaxDepth = 256
    package static let `default` = JSONLimits()
}
