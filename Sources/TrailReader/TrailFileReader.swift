package import TrailJSON

/// One record as the reader hands it to the engine.
package struct TrailRecord {
    /// The record's JSON text; valid only during the callback that receives it.
    package var bytes: UnsafeRawBufferPointer
    /// 0-based index of the record in its file.
    package var index: Int
    /// Offset of the record's first byte in the decompressed text.
    package var offset: Int
    /// Whether the reader's `RecordProjector` has already projected the record (its fields are
    /// in the caller's table); otherwise the caller projects it.
    package var isProjected = false
}

/// Frames and projects a record in one pass: given the window from the record's first byte to
/// the end of the data read so far, projects the value there and returns its length (see
/// `JSONProjection.projectPrefix`). `unexpectedEnd` at the end of the window means "read more".
package typealias RecordProjector = (UnsafeRawBufferPointer) throws(JSONError) -> Int

/// What the reader reports while reading a file.
package enum ReaderEvent {
    case record(TrailRecord)
    /// A line of a JSON Lines file that is not valid; reading goes on with the next line.
    case invalidLine(ReaderError)
}

/// What a file turned out to be, once read.
package struct ReadSummary: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable {
        /// Records (possibly none, as in `{"Records":[]}`).
        case records
        /// A CloudTrail digest file: recognised and skipped.
        case digest
    }

    package var kind = Kind.records
    package var records = 0
    package var invalidLines = 0
    package var isGzip = false
    package var layout = JSONRecordSplitter.Layout.document
    package var compressedBytes = 0
    package var decompressedBytes = 0
}

/// Reads one CloudTrail file of any shape into records, in flat memory.
///
/// The decompressed text flows through one window: a chunk is inflated into it, records are
/// framed in place by `StructuralScanner` and handed out as byte ranges, and only a record cut by
/// the chunk boundary is kept (moved to the front) when the next chunk comes in. The window grows
/// to hold the largest record, up to the record size limit, and no further.
///
/// Shapes, detected from content: `{"Records":[…]}`; a bare array of records; JSON Lines (one
/// record, array or wrapper per line); single objects. A top-level object that is an EventBridge
/// envelope yields its `detail`, a CloudWatch Logs payload yields each `logEvents[].message`, a
/// digest file yields nothing and is reported as `.digest`. Records are not validated here: the
/// engine's projection does that, with the record's index and offset at hand.
package final class TrailFileReader {
    private let stream: DecodedStream
    private let limits: ReaderLimits
    private var window: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var ended = false
    /// Decompressed offset of `window[0]`.
    private var windowBase = 0
    private var position = 0
    private var summary = ReadSummary()
    private var classifier: RecordClassifier
    private var messageBuffer: [UInt8] = []

    private enum State {
        case topLevel
        /// Expecting an element (or, when `first`, the closing `]`) of a top-level array or of a
        /// Records array.
        case element(records: Bool, first: Bool)
        /// After an element: `,` or `]`.
        case afterElement(records: Bool)
        /// After the Records array: the wrapper object's other members, then `}`.
        case afterRecords
    }

    private init(source: any ByteSource, path: String, limits: ReaderLimits) {
        stream = DecodedStream(source: source, path: path, limits: limits)
        self.limits = limits
        window = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * limits.chunkBytes, alignment: 16)
        classifier = RecordClassifier(limits: limits.json)
    }

    deinit { window.deallocate() }

    /// Reads the file at `path` (opened with `InputFile.open`).
    package static func read(
        path: String, limits: ReaderLimits = .default, _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        let file = try InputFile.open(path, limits: limits)
        return try TrailFileReader(source: file, path: path, limits: limits).run(nil, body)
    }

    /// Reads the file at `path`, framing the records of `{"Records":[…]}` files by projecting
    /// them with `projector`, which saves a pass over every record.
    package static func read(
        path: String, limits: ReaderLimits = .default, projector: RecordProjector, _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        try read(InputFile.open(path, limits: limits), limits: limits, projector: projector, body)
    }

    /// As `read(path:projector:)`, for an input already open.
    package static func read(
        _ file: InputFile, limits: ReaderLimits = .default, projector: RecordProjector, _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        try read(source: file, name: file.path, limits: limits, projector: projector, body)
    }

    /// As `read(path:projector:)`, for bytes from any source (an S3 object as it streams in);
    /// `name` is used in errors.
    package static func read(
        source: any ByteSource, name: String, limits: ReaderLimits = .default, projector: RecordProjector,
        _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        let reader = TrailFileReader(source: source, path: name, limits: limits)
        // The projector is only used during this call; it never outlives it.
        let result: Result<ReadSummary, ReaderError> = withoutActuallyEscaping(projector) { projector in
            do throws(ReaderError) {
                return .success(try reader.run(projector, body))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads bytes from any source (an S3 object as it streams in); `name` is used in errors.
    package static func read(
        source: any ByteSource, name: String, limits: ReaderLimits = .default, _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        try TrailFileReader(source: source, path: name, limits: limits).run(nil, body)
    }

    /// Reads an already open input, such as standard input.
    package static func read(
        _ input: InputFile, limits: ReaderLimits = .default, _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        try TrailFileReader(source: input, path: input.path, limits: limits).run(nil, body)
    }

    /// Reads a file's bytes held in memory; `name` is used in errors.
    package static func read(
        bytes: [UInt8], name: String, limits: ReaderLimits = .default, _ body: (ReaderEvent) -> Void
    ) throws(ReaderError) -> ReadSummary {
        try TrailFileReader(source: MemorySource(bytes), path: name, limits: limits).run(nil, body)
    }

    // MARK: The loop

    private func run(_ projector: RecordProjector?, _ body: (ReaderEvent) -> Void) throws(ReaderError) -> ReadSummary {
        _ = try refill(keepingFrom: 0)
        summary.isGzip = stream.isGzip
        summary.layout = JSONRecordSplitter.Layout.detect(
            UnsafeRawBufferPointer(rebasing: window[0..<filled]), limits: limits.json)
        if summary.layout == .lines {
            try readLines(body)
        } else {
            try readDocument(projector, body)
        }
        summary.compressedBytes = stream.compressedOffset
        summary.decompressedBytes = stream.decompressedOffset
        return summary
    }

    private var scanner: StructuralScanner {
        StructuralScanner(base: UnsafePointer(window.baseAddress!.assumingMemoryBound(to: UInt8.self)), end: filled)
    }

    /// Moves `window[start..<filled]` to the front, then reads more decompressed bytes after it,
    /// growing the window if what is kept fills it. Returns false at the end of the input.
    private func refill(keepingFrom start: Int) throws(ReaderError) -> Bool {
        guard !ended else { return false }
        if start > 0 {
            let kept = filled - start
            if kept > 0 { window.baseAddress!.copyMemory(from: window.baseAddress! + start, byteCount: kept) }
            windowBase += start
            // `position` may sit before `start` (whitespace the caller already looked past).
            position = max(0, position - start)
            filled = kept
        }
        if window.count - filled < limits.chunkBytes {
            let needed = filled + limits.chunkBytes
            guard filled <= limits.json.maxRecordBytes else {
                throw ReaderError(
                    .recordTooLarge, path: stream.path,
                    cause: "a record is larger than the limit of \(limits.json.maxRecordBytes) bytes",
                    compressedOffset: compressedOffset, decompressedOffset: windowBase, recordIndex: summary.records)
            }
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, window.count * 2), alignment: 16)
            grown.baseAddress!.copyMemory(from: window.baseAddress!, byteCount: filled)
            window.deallocate()
            window = grown
        }
        let read = try stream.read(
            into: UnsafeMutableRawBufferPointer(rebasing: window[filled..<(filled + limits.chunkBytes)]))
        filled += read
        if read == 0 { ended = true }
        return read > 0
    }

    /// How far into the compressed file the reader is; only meaningful for gzip input.
    private var compressedOffset: Int? { stream.isGzip ? stream.compressedOffset : nil }

    private func invalid(_ offset: Int, _ cause: String) -> ReaderError {
        ReaderError(
            .invalidJSON, path: stream.path, cause: cause, compressedOffset: compressedOffset,
            decompressedOffset: windowBase + offset, recordIndex: summary.records)
    }

    /// The error for input that ends where more JSON was needed.
    private func unfinished(_ what: String) -> ReaderError {
        invalid(filled, "the text ends inside \(what)")
    }

    private func describe(_ offset: Int) -> String {
        JSONError.describeByte(at: offset, in: window.baseAddress!.assumingMemoryBound(to: UInt8.self), count: filled)
    }

    // MARK: Documents

    private func readDocument(_ projector: RecordProjector?, _ body: (ReaderEvent) -> Void) throws(ReaderError) {
        var state = State.topLevel
        while true {
            let scan = scanner
            guard let start = scan.skipWhitespace(from: position) else {
                if try refill(keepingFrom: position) { continue }
                switch state {
                case .topLevel: return
                case .element, .afterElement: throw unfinished("an array of records")
                case .afterRecords: throw unfinished("the object holding the Records array")
                }
            }
            let lead = window[start]
            switch state {
            case .topLevel:
                if lead == UInt8(ascii: "[") {
                    position = start + 1
                    state = .element(records: false, first: true)
                } else if lead == UInt8(ascii: "{") {
                    switch probeWrapper(at: start) {
                    case .records(let after):
                        position = after
                        state = .element(records: true, first: true)
                    case .object(let end):
                        position = end
                        emitTopLevel(start..<end, body)
                    case .needMore:
                        guard try refill(keepingFrom: start) else { throw unfinished("a JSON object") }
                    case .invalid(let offset, let expected):
                        throw invalid(offset, "expected \(expected), found \(describe(offset))")
                    }
                } else {
                    switch scan.skipValue(at: start) {
                    case .end(let end):
                        position = end
                        emit(start..<end, body)
                    case .needMore:
                        // A refill may move the text to the front of the window (and then `start`
                        // is stale) or not (at the end of the input): `windowBase` moves with it.
                        let valueOffset = windowBase + start
                        guard try refill(keepingFrom: start) else {
                            // A scalar may end exactly at the end of the text.
                            position = filled
                            emit((valueOffset - windowBase)..<filled, body)
                            return
                        }
                    case .invalid(let offset):
                        throw invalid(offset, "expected a JSON value, found \(describe(offset))")
                    }
                }
            case .element(let records, let first):
                if lead == UInt8(ascii: "]") && first {
                    position = start + 1
                    state = records ? .afterRecords : .topLevel
                    continue
                }
                if records, let projector, window[start] == UInt8(ascii: "{"), !startsWithVersionKey(at: start) {
                    let rest = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(window)[start..<filled])
                    do throws(JSONError) {
                        let end = start + (try projector(rest))
                        position = end
                        state = .afterElement(records: true)
                        emit(start..<end, projected: true, body)
                        continue
                    } catch {
                        if error.kind == .unexpectedEnd && error.offset == rest.count {
                            guard try refill(keepingFrom: start) else { throw unfinished("a record") }
                            continue
                        }
                        // Invalid JSON: frame it structurally below; the caller's own projection
                        // then reports the problem with the record's index and position.
                    }
                }
                switch scan.skipValue(at: start) {
                case .end(let end):
                    position = end
                    state = .afterElement(records: records)
                    if records && !startsWithVersionKey(at: start) {
                        emit(start..<end, body)  // the common case: a CloudTrail record
                    } else {
                        emitTopLevel(start..<end, body)
                    }
                case .needMore:
                    guard try refill(keepingFrom: start) else { throw unfinished("a record") }
                case .invalid(let offset):
                    throw invalid(offset, "expected a record, found \(describe(offset))")
                }
            case .afterElement(let records):
                if lead == UInt8(ascii: ",") {
                    position = start + 1
                    state = .element(records: records, first: false)
                } else if lead == UInt8(ascii: "]") {
                    position = start + 1
                    state = records ? .afterRecords : .topLevel
                } else {
                    throw invalid(start, "expected `,` or `]` after a record, found \(describe(start))")
                }
            case .afterRecords:
                if lead == UInt8(ascii: "}") {
                    position = start + 1
                    state = .topLevel
                } else if lead == UInt8(ascii: ",") {
                    switch skipMember(after: start) {
                    case .end(let end): position = end
                    case .needMore:
                        guard try refill(keepingFrom: start) else {
                            throw unfinished("the object holding the Records array")
                        }
                    case .invalid(let offset):
                        throw invalid(offset, "expected an object member, found \(describe(offset))")
                    }
                } else {
                    throw invalid(start, "expected `,` or `}` after the Records array, found \(describe(start))")
                }
            }
        }
    }

    private enum Probe {
        /// A CloudTrail wrapper; the Records array's elements start after this offset.
        case records(Int)
        /// Any other object, ending before this offset.
        case object(Int)
        case needMore
        case invalid(Int, String)
    }

    /// With `start` on `{`: walks the object's members until a `Records` array opens, or the
    /// object ends. Nothing is consumed, so a probe that needs more input is simply repeated.
    private func probeWrapper(at start: Int) -> Probe {
        let scan = scanner
        guard var index = scan.skipWhitespace(from: start + 1) else { return .needMore }
        if window[index] == UInt8(ascii: "}") { return .object(index + 1) }
        while true {
            guard window[index] == UInt8(ascii: "\"") else { return .invalid(index, "a string key") }
            let isRecords = scan.isKey(at: index, "Records")
            guard let afterKey = scan.skipString(at: index) else { return .needMore }
            guard let colon = scan.skipWhitespace(from: afterKey) else { return .needMore }
            guard window[colon] == UInt8(ascii: ":") else { return .invalid(colon, "`:` after an object key") }
            guard let value = scan.skipWhitespace(from: colon + 1) else { return .needMore }
            if isRecords && window[value] == UInt8(ascii: "[") { return .records(value + 1) }
            switch scan.skipValue(at: value) {
            case .end(let end):
                guard let next = scan.skipWhitespace(from: end) else { return .needMore }
                if window[next] == UInt8(ascii: "}") { return .object(next + 1) }
                guard window[next] == UInt8(ascii: ",") else {
                    return .invalid(next, "`,` or `}` after an object member")
                }
                guard let key = scan.skipWhitespace(from: next + 1) else { return .needMore }
                index = key
            case .needMore: return .needMore
            case .invalid(let offset): return .invalid(offset, "a JSON value")
            }
        }
    }

    /// With `comma` on the `,` before a member: the offset after that member's value.
    private func skipMember(after comma: Int) -> StructuralScanner.Outcome {
        let scan = scanner
        guard let key = scan.skipWhitespace(from: comma + 1) else { return .needMore }
        guard window[key] == UInt8(ascii: "\"") else { return .invalid(key) }
        guard let afterKey = scan.skipString(at: key), let colon = scan.skipWhitespace(from: afterKey) else {
            return .needMore
        }
        guard window[colon] == UInt8(ascii: ":") else { return .invalid(colon) }
        guard let value = scan.skipWhitespace(from: colon + 1) else { return .needMore }
        return scan.skipValue(at: value)
    }

    /// Whether the object at `start` begins with a `"version"` key, as EventBridge events do and
    /// CloudTrail records never do: the one check Records elements get before being handed out.
    private func startsWithVersionKey(at start: Int) -> Bool {
        let scan = scanner
        guard window[start] == UInt8(ascii: "{"), let key = scan.skipWhitespace(from: start + 1) else { return false }
        return scan.isKey(at: key, "version")
    }

    // MARK: JSON Lines

    private func readLines(_ body: (ReaderEvent) -> Void) throws(ReaderError) {
        var lineNumber = 0
        while true {
            var newline = position
            while newline < filled && window[newline] != 0x0A { newline += 1 }
            if newline == filled {
                if try refill(keepingFrom: position) { continue }
                if position == filled { return }
                // The input ended without a newline; the refill moved the window, so the last
                // line runs from the new `position` to the new end (the old `newline` would read
                // stale bytes past it: every line of the window again).
                newline = filled
            }
            let line = position..<newline
            position = min(newline + 1, filled)
            lineNumber += 1
            readLine(line, number: lineNumber, body)
        }
    }

    /// Reads one line on its own: its records, or one `invalidLine` event.
    private func readLine(_ line: Range<Int>, number: Int, _ body: (ReaderEvent) -> Void) {
        let text = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(window)[line])
        var splitter = JSONRecordSplitter(text, limits: limits.json)
        var found: [Range<Int>] = []
        do throws(JSONError) {
            // Validate the whole line before handing out any of it (see JSONRecordSplitter).
            while let record = try splitter.next() { found.append(record.range) }
        } catch {
            summary.invalidLines += 1
            var problem = ReaderError(
                .invalidJSON, path: stream.path,
                cause:
                    "expected \(error.expected), found \(error.found == "end of input" ? "end of line" : error.found)",
                compressedOffset: compressedOffset, decompressedOffset: windowBase + line.lowerBound + error.offset,
                recordIndex: summary.records)
            problem.line = number
            body(.invalidLine(problem))
            return
        }
        for range in found {
            emitTopLevel((line.lowerBound + range.lowerBound)..<(line.lowerBound + range.upperBound), body)
        }
    }

    // MARK: Emitting

    /// Hands out a record that is known to be a CloudTrail record (or a non-object value).
    @inline(__always)
    private func emit(_ range: Range<Int>, projected: Bool = false, _ body: (ReaderEvent) -> Void) {
        let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(window)[range])
        body(
            .record(
                TrailRecord(
                    bytes: bytes, index: summary.records, offset: windowBase + range.lowerBound, isProjected: projected)
            ))
        summary.records += 1
    }

    /// Hands out a top-level object after classifying it (envelope, payload, digest or record).
    private func emitTopLevel(_ range: Range<Int>, _ body: (ReaderEvent) -> Void) {
        guard window[range.lowerBound] == UInt8(ascii: "{") else { return emit(range, body) }
        let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(window)[range])
        switch classifier.classify(bytes) {
        case .record:
            emit(range, body)
        case .envelope(let detail):
            emit((range.lowerBound + detail.lowerBound)..<(range.lowerBound + detail.upperBound), body)
        case .logEvents(let messages):
            for message in messages {
                messageBuffer.removeAll(keepingCapacity: true)
                JSONString.decode(UnsafeRawBufferPointer(rebasing: bytes[message.range]), into: &messageBuffer)
                messageBuffer.withUnsafeBytes { decoded in
                    body(
                        .record(
                            TrailRecord(
                                bytes: decoded, index: summary.records,
                                offset: windowBase + range.lowerBound + message.range.lowerBound)))
                }
                summary.records += 1
            }
        case .control:
            break
        case .digest:
            summary.kind = .digest
        }
    }
}
