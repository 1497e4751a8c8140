package import TrailJSON

/// Caps the reader enforces on every file, so that a hostile file costs bounded time and memory.
///
/// Defaults live here and only here. Real CloudTrail files inflate about 6–10:1 and stay far below
/// a gigabyte; the ratio cap is checked only once a file has inflated past `ratioGrace`, so small
/// and very repetitive files are not refused.
package struct ReaderLimits: Sendable, Hashable {
    /// Most bytes a file may hold on disk (compressed), checked from `fstat` before anything is
    /// read or hashed, and again while reading in case the file grows.
    ///
    /// Real CloudTrail files are a few megabytes (a busy account's five-minute file rarely passes
    /// 50 MB), so 1 GiB refuses nothing real. Without this cap a sparse file of holes (`truncate
    /// -s 100G`) with a CloudTrail name costs a full read just to hash it, and the inflate caps
    /// cannot help: holes read as zeros, and a file of empty gzip members inflates to nothing.
    package var maxFileBytes: Int
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
        maxFileBytes: Int = 1 << 30, maxInflatedBytes: Int = 4 << 30, maxExpansionRatio: Int = 100,
        ratioGrace: Int = 1 << 20, chunkBytes: Int = 256 << 10, json: JSONLimits = .default
    ) {
        self.maxFileBytes = max(0, maxFileBytes)
        self.maxInflatedBytes = maxInflatedBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.ratioGrace = ratioGrace
        self.chunkBytes = max(4096, chunkBytes)
        self.json = json
    }

    package static let `default` = ReaderLimits()
}
