import CZlib

/// Where compressed or plain bytes come from: a file, standard input, memory, or an object
/// streamed from S3 (`TrailAWS.ObjectStream`). The reader pulls; a source may block until it has
/// bytes, and enforces its own size cap (a file's is `ReaderLimits.maxFileBytes`).
package protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int
}

extension InputFile: ByteSource {}

/// Bytes held in memory (tests, and callers that already have the file).
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// The decompressed bytes of a source: gzip (detected by its magic bytes, not by the file name)
/// or plain, read in fixed chunks.
///
/// Gzip handling follows what a damaged or hostile file needs: every member's trailer (CRC-32 and
/// length) is checked by zlib; members are read one after another (multi-member files); a stream
/// that ends without `Z_STREAM_END` is `truncated`, naming how far it got; bytes after the last
/// member that are not another member are `trailingGarbage`; and the inflated size and expansion
/// ratio are capped (`ReaderLimits`).
final class DecodedStream {
    let path: String
    private let source: any ByteSource
    private let limits: ReaderLimits
    private var input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var sourceEnded = false
    private var stream: UnsafeMutablePointer<z_stream>?
    private var finished = false
    /// Compressed bytes consumed before the current input buffer's start.
    private var consumedBeforeBuffer = 0
    /// Decompressed bytes produced so far.
    private(set) var decompressedOffset = 0
    /// Whether the source is gzip; known after the first `read`.
    private(set) var isGzip = false
    private var started = false

    init(source: any ByteSource, path: String, limits: ReaderLimits) {
        self.source = source
        self.path = path
        self.limits = limits
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkBytes, alignment: 16)
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        input.deallocate()
    }

    /// Compressed bytes consumed so far (for a plain source, bytes read).
    var compressedOffset: Int { consumedBeforeBuffer + inputStart }

    /// Fills `buffer` with up to `buffer.count` decompressed bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        if !started {
            started = true
            try detect()
        }
        guard !finished, buffer.count > 0 else { return 0 }
        let produced = isGzip ? try inflate(into: buffer) : try copyPlain(into: buffer)
        decompressedOffset += produced
        if decompressedOffset > limits.maxInflatedBytes {
            throw error(.tooLarge, "it inflates past \(limits.maxInflatedBytes) bytes")
        }
        if isGzip, decompressedOffset > limits.ratioGrace,
            decompressedOffset / max(1, compressedOffset) > limits.maxExpansionRatio
        {
            let ratio = decompressedOffset / max(1, compressedOffset)
            throw error(
                .expansionRatio,
                "it inflates \(ratio):1 (\(compressedOffset) bytes to \(decompressedOffset) so far), past the limit of \(limits.maxExpansionRatio):1"
            )
        }
        return produced
    }

    private func error(_ kind: ReaderError.Kind, _ cause: String) -> ReaderError {
        ReaderError(
            kind, path: path, cause: cause, compressedOffset: compressedOffset, decompressedOffset: decompressedOffset)
    }

    // MARK: Input

    /// Makes at least `count` unread input bytes available unless the source ends first.
    @discardableResult
    private func fillInput(atLeast count: Int = 1) throws(ReaderError) -> Bool {
        while inputEnd - inputStart < count && !sourceEnded {
            if inputStart > 0 {
                let pending = inputEnd - inputStart
                input.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: pending)
                consumedBeforeBuffer += inputStart
                inputStart = 0
                inputEnd = pending
            }
            let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inputEnd...]))
            if read == 0 { sourceEnded = true }
            inputEnd += read
        }
        return inputEnd - inputStart >= count
    }

    private func startsWithGzipMagic() -> Bool {
        inputEnd - inputStart >= 2 && input[inputStart] == 0x1F && input[inputStart + 1] == 0x8B
    }

    private func detect() throws(ReaderError) {
        try fillInput(atLeast: 2)
        // A file with no byte, or only the first byte of the gzip magic, is a download or copy
        // that stopped before it began: truncated (retried while young, quarantined once settled),
        // never "done with 0 records", which would let a failed transfer pass unnoticed. Bytes in
        // memory stand for a file and are judged alike; only an empty pipe on standard input is
        // no error.
        let isPipe = (source as? InputFile)?.isStandardInput ?? false
        if !isPipe && sourceEnded && inputEnd - inputStart < 2 && (inputEnd == inputStart || input[inputStart] == 0x1F) {
            throw error(
                .truncated,
                inputEnd == inputStart
                    ? "the file is empty (0 bytes): a download or copy that wrote nothing"
                    : "the file ends inside the gzip header (1 byte)")
        }
        isGzip = startsWithGzipMagic()
        guard isGzip else { return }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a 32 KiB window, gzip wrapper only (its header and trailer are checked).
        guard trailhound_inflateInit2(stream, 15 + 16) == Z_OK else {
            stream.deallocate()
            throw error(.unreadable, "zlib could not start: out of memory")
        }
        self.stream = stream
    }

    private func copyPlain(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        if inputEnd > inputStart {
            let count = min(buffer.count, inputEnd - inputStart)
            buffer.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: count)
            inputStart += count
            return count
        }
        let count = try source.read(into: buffer)
        consumedBeforeBuffer += count
        if count == 0 { finished = true }
        return count
    }

    // MARK: Gzip

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let stream else { return 0 }
        var produced = 0
        while produced < buffer.count {
            if inputEnd == inputStart { try fillInput() }
            let available = inputEnd - inputStart
            stream.pointee.next_in = (input.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(available)
            stream.pointee.next_out = (buffer.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count - produced)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            inputStart += available - Int(stream.pointee.avail_in)
            produced = buffer.count - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress: either the output is full (the loop ends) or the input ran out.
                if produced < buffer.count && inputEnd == inputStart && sourceEnded {
                    throw truncation(produced)
                }
            case Z_STREAM_END:
                try fillInput(atLeast: 2)
                if inputEnd == inputStart && sourceEnded {
                    finished = true
                    return produced
                }
                guard startsWithGzipMagic() else {
                    // Read ahead (up to a buffer) so the message can say how much there is.
                    try fillInput(atLeast: input.count)
                    let count = inputEnd - inputStart
                    throw error(
                        .trailingGarbage,
                        "\(sourceEnded ? "" : "at least ")\(count) bytes after the end of the gzip data are not another gzip member"
                    )
                }
                inflateReset(stream)  // the next member of a multi-member file
            case Z_NEED_DICT, Z_DATA_ERROR:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid deflate data"
                throw error(.corruptGzip, message)
            case Z_MEM_ERROR:
                throw error(.unreadable, "zlib ran out of memory")
            default:
                throw error(.corruptGzip, "zlib error \(status)")
            }
            if inputEnd == inputStart && sourceEnded && status != Z_STREAM_END && produced < buffer.count {
                throw truncation(produced)
            }
        }
        return produced
    }

    private func truncation(_ produced: Int) -> ReaderError {
        ReaderError(
            .truncated, path: path,
            cause:
                "the file ends inside a gzip member, after \(compressedOffset) compressed and \(decompressedOffset + produced) decompressed bytes",
            compressedOffset: compressedOffset, decompressedOffset: decompressedOffset + produced)
    }
}
