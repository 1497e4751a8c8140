#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open input: a regular file opened safely, or standard input.
///
/// Every caller opens files through here: `O_NOFOLLOW` refuses symbolic links, `O_NONBLOCK` keeps
/// a FIFO from hanging the open, and `fstat` must show a regular file, so sockets, devices and
/// directories are refused with a reason instead of blocking or misreading.
package final class InputFile {
    package let path: String
    let descriptor: Int32
    private let owned: Bool
    /// Size in bytes and modification time (nanoseconds since 1970) when it was opened; zero
    /// for standard input.
    package let size: Int
    package let modified: Int64

    private init(path: String, descriptor: Int32, owned: Bool, size: Int = 0, modified: Int64 = 0) {
        self.path = path
        self.descriptor = descriptor
        self.owned = owned
        self.size = size
        self.modified = modified
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Standard input, read as it comes (pipes included).
    package static func standardInput() -> InputFile {
        InputFile(path: "(standard input)", descriptor: 0, owned: false)
    }

    /// Opens `path` read-only if it is a regular file.
    package static func open(_ path: String) throws(ReaderError) -> InputFile {
        let descriptor = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP {
                throw ReaderError(
                    .notRegularFile, path: path, cause: "it is a symbolic link, which trailhound does not follow")
            }
            throw ReaderError(.unreadable, path: path, cause: String(cString: strerror(code)))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let cause = String(cString: strerror(errno))
            close(descriptor)
            throw ReaderError(.unreadable, path: path, cause: cause)
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(descriptor)
            let what =
                switch type {
                case S_IFDIR: "a directory"
                case S_IFIFO: "a FIFO"
                case S_IFSOCK: "a socket"
                case S_IFCHR: "a character device"
                case S_IFBLK: "a block device"
                default: "not a regular file"
                }
            throw ReaderError(.notRegularFile, path: path, cause: "it is \(what)")
        }
        // Reads of a regular file never block; clear O_NONBLOCK anyway so read() is plain.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return InputFile(
            path: path, descriptor: descriptor, owned: true, size: Int(status.st_size),
            modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
    }

    /// Hands every byte of the file to `body`, in chunks, without moving the read position (the
    /// daemon hashes a file through the same descriptor it then reads, so both see one file).
    package func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Void) throws(ReaderError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                throw ReaderError(.unreadable, path: path, cause: String(cString: strerror(errno)))
            }
            if count == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += count
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ReaderError(.unreadable, path: path, cause: String(cString: strerror(errno)))
        }
    }
}
