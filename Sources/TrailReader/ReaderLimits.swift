package import TrailJSON

/// Caps the reader enforces on every file, so that a hostile file costs bounded time and memory.
///
/// Defaults live here and only here. Real CloudTrail files inflate about 6–10:1 and stay far below
/// a gigabyte; the ratio cap is checked only once a file has inflated past `ratioGrace`, so small
/// and very repetitive files are not refused.
package struct ReaderLimits: Sendable, Hashable {
    /// Most bytes one file may inflate to.
    package var maxInflatedBytes: Int
    /// Most decompressed bytes per compressed byte (a gzip bomb reaches about 1,000).
    package var maxExpansionRatio: Int
    /// Inflated size below which the ratio is not checked.
    package var ratioGrace: Int
    /// Size of one read from the file and of one inflate step.
    package var chunkBytes: Int
    /// Record size and nesting depth.
    package var json: JSONLimits

    package init(
        maxInflatedBytes: Int = 4 << 30, maxExpansionRatio: Int = 100, ratioGrace: Int = 1 << 20,
        chunkBytes: Int = 256 << 10, json: JSONLimits = .default
    ) {
        self.maxInflatedBytes = maxInflatedBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.ratioGrace = ratioGrace
        self.chunkBytes = max(4096, chunkBytes)
        self.json = json
    }

    package static let `default` = ReaderLimits()
}
