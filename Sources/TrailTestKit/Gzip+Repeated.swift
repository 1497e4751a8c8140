import CZlib

#if canImport(Glibc)
    import Glibc
#endif

extension Gzip {
    /// Writes a gzip file at `path` that inflates to `prefix`, then `block` repeated `count`
    /// times, then `suffix`, without ever holding the inflated text; returns the bytes written.
    ///
    /// Each part is its own gzip member (the shape `gzip -c a b > c` makes, which every gzip reader
    /// inflates as one text), and the block's member is deflated once and written `count` times:
    /// deflating 1 GiB takes about ten seconds, repeating one 1 MiB member costs nothing, and the
    /// file inflates at the same ~1000:1 a single-member bomb reaches.
    @discardableResult
    package static func writeRepeated(
        to path: String, prefix: [UInt8] = [], block: [UInt8], count: Int, suffix: [UInt8] = []
    ) throws(GzipWriteError) -> Int {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GzipWriteError(path: path, code: errno) }
        defer { close(descriptor) }
        var written = 0
        func put(_ bytes: [UInt8]) throws(GzipWriteError) {
            var offset = 0
            while offset < bytes.count {
                let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw GzipWriteError(path: path, code: errno)
                }
                offset += result
            }
            written += bytes.count
        }
        if !prefix.isEmpty { try put(compress(prefix, level: 9)) }
        let member = compress(block, level: 9)
        for _ in 0..<count { try put(member) }
        if !suffix.isEmpty { try put(compress(suffix, level: 9)) }
        return written
    }
}

/// A file `Gzip.writeRepeated` could not write, with the `errno` text.
package struct GzipWriteError: Error, CustomStringConvertible {
    package var path: String
    package var code: Int32

    package var description: String { "\(path): \(String(cString: strerror(code)))" }
}
