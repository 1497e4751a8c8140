package import TrailJSON

/// Why a file could not be read, and where: what an operator needs to find and fix it.
package struct ReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable {
        /// The file could not be opened or read (permissions, missing, I/O error).
        case unreadable
        /// A symbolic link, FIFO, socket, device or directory where a regular file was expected.
        case notRegularFile
        /// The gzip stream ends before its last member is complete.
        case truncated
        /// The gzip data is damaged (bad header, bad deflate data, CRC or length mismatch).
        case corruptGzip
        /// Bytes after the last gzip member that are not another member.
        case trailingGarbage
        /// The file is larger on disk than the configured maximum (`ReaderLimits.maxFileBytes`),
        /// so it is refused before any of it is read.
        case fileTooLarge
        /// The file inflates to more than the configured maximum.
        case tooLarge
        /// The file inflates at a ratio no real log reaches: a gzip bomb.
        case expansionRatio
        /// One record is larger than the configured maximum.
        case recordTooLarge
        /// The decompressed text is not the JSON it should be.
        case invalidJSON
    }

    package var kind: Kind
    package var path: String

    /// Whether the error comes from the environment rather than the file: it could not be opened
    /// or read (out of descriptors or memory, no permission, an I/O error). Such a file may read
    /// fine a moment later, so a daemon retries it; every other kind is about the file's content
    /// or kind and does not change unless the file does.
    package var isEnvironmental: Bool { kind == .unreadable }
    /// How far into the file (compressed bytes) the reader had got.
    package var compressedOffset: Int?
    /// How far into the decompressed text the problem is.
    package var decompressedOffset: Int?
    /// The index of the record concerned, where one is.
    package var recordIndex: Int?
    /// The 1-based line, for JSON Lines files.
    package var line: Int?
    /// The underlying cause, in words (an errno text, zlib's message, the JSON expectation).
    package var cause: String

    package init(
        _ kind: Kind, path: String, cause: String, compressedOffset: Int? = nil, decompressedOffset: Int? = nil,
        recordIndex: Int? = nil
    ) {
        self.kind = kind
        self.path = path
        self.cause = cause
        self.compressedOffset = compressedOffset
        self.decompressedOffset = decompressedOffset
        self.recordIndex = recordIndex
    }

    /// A record the reader handed out that the engine's projection rejected: the error's offset
    /// (relative to the record) becomes a decompressed offset in the file.
    package init(record: TrailRecord, path: String, error: JSONError) {
        self.init(
            error.kind == .recordTooLarge ? .recordTooLarge : .invalidJSON, path: path,
            cause: "expected \(error.expected), found \(error.found)", decompressedOffset: record.offset + error.offset,
            recordIndex: record.index)
    }

    /// One line: `PATH: WHAT (record N, decompressed byte D, compressed byte C): CAUSE`.
    package var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let recordIndex { place.append("record \(recordIndex)") }
        if let decompressedOffset { place.append("decompressed byte \(decompressedOffset)") }
        if let compressedOffset { place.append("compressed byte \(compressedOffset)") }
        let location = place.isEmpty ? "" : " (" + place.joined(separator: ", ") + ")"
        return "\(path): \(summary)\(location): \(cause)"
    }

    private var summary: String {
        switch kind {
        case .unreadable: "cannot read"
        case .notRegularFile: "refused, not a regular file"
        case .truncated: "truncated gzip"
        case .corruptGzip: "corrupt gzip"
        case .trailingGarbage: "trailing garbage after gzip data"
        case .fileTooLarge: "refused, file larger than the size limit"
        case .tooLarge: "refused, inflates past the size limit"
        case .expansionRatio: "refused, gzip bomb"
        case .recordTooLarge: "record too large"
        case .invalidJSON: "invalid JSON"
        }
    }
}
