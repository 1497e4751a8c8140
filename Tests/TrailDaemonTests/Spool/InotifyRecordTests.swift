import Testing

@testable import TrailDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// Decoding the kernel's packed, variable-length `inotify_event` records.
struct InotifyRecordTests {
    /// One record as the kernel lays it out: header, then the name NUL-padded to `length` bytes.
    static func record(watch: Int32, mask: UInt32, cookie: UInt32 = 0, name: String?, length: Int? = nil) -> [UInt8] {
        let nameBytes = Array((name ?? "").utf8)
        // The kernel pads to a multiple of the header size, with at least one NUL.
        let padded = name == nil ? 0 : length ?? ((nameBytes.count + 1 + 15) / 16 * 16)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: watch) { bytes += $0 }
        withUnsafeBytes(of: mask) { bytes += $0 }
        withUnsafeBytes(of: cookie) { bytes += $0 }
        withUnsafeBytes(of: UInt32(padded)) { bytes += $0 }
        bytes += nameBytes + [UInt8](repeating: 0, count: padded - nameBytes.count)
        return bytes
    }

    @Test("records are split at 16 + len, and names stop at the first NUL")
    func packedRecords() {
        let closeWrite = UInt32(IN_CLOSE_WRITE)
        let createDirectory = UInt32(IN_CREATE) | UInt32(IN_ISDIR)
        let bytes =
            Self.record(watch: 1, mask: closeWrite, name: "a.json.gz")
            + Self.record(watch: 2, mask: UInt32(IN_MOVED_TO), cookie: 77, name: String(repeating: "n", count: 16))
            + Self.record(watch: -1, mask: UInt32(IN_Q_OVERFLOW), name: nil)
            + Self.record(watch: 3, mask: createDirectory, name: "23", length: 32)
        #expect(MemoryLayout<inotify_event>.size == InotifyRecord.headerSize)
        let (records, consumed) = bytes.withUnsafeBytes { InotifyRecord.parse($0) }
        #expect(consumed == bytes.count)
        #expect(
            records == [
                InotifyRecord(watch: 1, mask: closeWrite, cookie: 0, name: Array("a.json.gz".utf8)),
                InotifyRecord(
                    watch: 2, mask: UInt32(IN_MOVED_TO), cookie: 77, name: Array(String(repeating: "n", count: 16).utf8)
                ),
                InotifyRecord(watch: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 0, name: nil),
                InotifyRecord(watch: 3, mask: createDirectory, cookie: 0, name: Array("23".utf8)),
            ])
    }

    @Test("a truncated record at the end is left unconsumed")
    func truncated() {
        let whole = Self.record(watch: 1, mask: UInt32(IN_MODIFY), name: "x")
        let partialName = Self.record(watch: 2, mask: UInt32(IN_MODIFY), name: "y").dropLast(4)
        for tail in [Array(partialName), Array(whole.prefix(10))] {
            let bytes = whole + tail
            let (records, consumed) = bytes.withUnsafeBytes { InotifyRecord.parse($0) }
            #expect(records.count == 1)
            #expect(consumed == whole.count)
        }
    }
}
