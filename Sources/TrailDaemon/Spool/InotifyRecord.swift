/// One `struct inotify_event` decoded from the bytes `read(2)` returned.
///
/// The kernel packs records back to back: a 16-byte header (`wd`, `mask`, `cookie`, `len`, all
/// 32-bit, native byte order) followed by `len` bytes of name, NUL-terminated and padded with
/// more NULs to keep the next header aligned. `len` counts the padding, so the next record
/// starts `16 + len` bytes later and the name is the bytes before the first NUL.
struct InotifyRecord: Sendable, Hashable {
    /// The watch descriptor the event belongs to (-1 for IN_Q_OVERFLOW).
    var watch: Int32
    var mask: UInt32
    /// Pairs IN_MOVED_FROM with IN_MOVED_TO.
    var cookie: UInt32
    /// The entry's name within the watched directory, or nil for events about the directory
    /// itself; raw bytes, because a name need not be valid UTF-8.
    var name: [UInt8]?

    static let headerSize = 16

    /// Decodes every complete record in `bytes`. Returns the records and how many bytes they
    /// used; a truncated last record (which the kernel never produces) is left unconsumed.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> (records: [InotifyRecord], consumed: Int) {
        var records: [InotifyRecord] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            guard bytes.count - offset - headerSize >= length else { break }
            let nameBytes = bytes[(offset + headerSize)..<(offset + headerSize + length)]
            let name = nameBytes.prefix { $0 != 0 }
            records.append(
                InotifyRecord(watch: watch, mask: mask, cookie: cookie, name: name.isEmpty ? nil : Array(name)))
            offset += headerSize + length
        }
        return (records, offset)
    }
}
