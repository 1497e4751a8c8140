import FuzzSupport
import TrailJSON
import TrailReader

// FuzzReader: the file reader (gzip inflate, shape detection, record framing) under libFuzzer.
//
// Every input is the content of a file. It is written to a temporary file (one per process,
// rewritten for each input) and read through `InputFile`, as the daemon does, with and without a
// record projector, and also read from memory. Small `ReaderLimits` make bombs, oversized records
// and deep nesting fail fast. The three reads must report the same records and the same outcome,
// and every record the reader hands out must lie inside the reader's window (ASan checks that).
#if canImport(Glibc)
    import Glibc
#endif

private let limits = ReaderLimits(
    maxInflatedBytes: 1 << 20, maxExpansionRatio: 100, ratioGrace: 64 << 10, chunkBytes: 4096,
    json: JSONLimits(maxDepth: 64, maxRecordBytes: 64 << 10))

private let projection = JSONProjection(
    paths: [
        JSONPath([.key("eventName")]), JSONPath([.key("eventTime")]),
        JSONPath([.key("resources"), .anyElement, .key("ARN")]),
    ],
    limits: limits.json)

/// The temporary file every input is written to: in /dev/shm when there is one, so that the
/// writes stay in memory; removed when the process exits.
private let scratchPath: String = {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let path = "\(directory)/trailhound-fuzz-reader-\(getpid()).bin"
    scratchPathCString = strdup(path)
    atexit { if let path = scratchPathCString { unlink(path) } }
    return path
}()

/// `scratchPath` for the exit handler, which cannot capture a Swift string.
nonisolated(unsafe) private var scratchPathCString: UnsafeMutablePointer<CChar>?

/// What one read produced: the records' bytes, the invalid lines, and the outcome.
private struct Outcome: Equatable {
    var records: [[UInt8]] = []
    var invalidLines = 0
    var summary: ReadSummary?
    var error: ReaderError.Kind?
}

/// Hands libFuzzer's command line and `fuzz` to libFuzzer (see `FuzzDriver`).
@main
enum FuzzReaderMain {
    static func main() {
        FuzzDriver.run { data, size in fuzz(data ?? FuzzDriver.emptyInput, size) }
    }
}

/// One fuzz input; also exported under libFuzzer's name, for drivers that call it directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let path = scratchPath
    writeScratch(bytes, to: path)

    let fromFile = collect { (body) throws(ReaderError) in try TrailFileReader.read(path: path, limits: limits, body) }
    let fromMemory = collect { (body) throws(ReaderError) in
        try TrailFileReader.read(bytes: bytes, name: "fuzz", limits: limits, body)
    }
    var fields = projection.makeFields()
    let projected = collect { (body) throws(ReaderError) in
        try TrailFileReader.read(
            path: path, limits: limits,
            projector: { (window) throws(JSONError) in try projection.projectPrefix(window, into: &fields) }, body)
    }
    FuzzCheck.expect(fromFile == fromMemory, "reading the file and reading memory differ")
    FuzzCheck.expect(
        fromFile.records == projected.records && fromFile.error == projected.error,
        "reading with a projector frames records differently")
    if let summary = fromFile.summary {
        FuzzCheck.expect(summary.records == fromFile.records.count, "the summary counts \(summary.records) records")
        FuzzCheck.expect(summary.decompressedBytes <= limits.maxInflatedBytes, "inflated past the limit")
    }
    return 0
}

private func collect(
    _ read: ((ReaderEvent) -> Void) throws(ReaderError) -> ReadSummary
) -> Outcome {
    var outcome = Outcome()
    do {
        outcome.summary = try read { event in
            switch event {
            case .record(let record):
                outcome.records.append(Array(record.bytes))
            case .invalidLine:
                outcome.invalidLines += 1
            }
        }
    } catch {
        outcome.error = error.kind
    }
    return outcome
}

private func writeScratch(_ bytes: [UInt8], to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    FuzzCheck.expect(descriptor >= 0, "cannot create \(path)")
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
        FuzzCheck.expect(count > 0, "cannot write \(path)")
        written += count
    }
}
