#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open input: a regular file opened safely, or standard input.
///
/// Every caller opens files through here: an `lstat` first refuses anything but a regular file
/// without opening it, `O_NOFOLLOW` refuses a symbolic link swapped in since, `O_NONBLOCK` keeps a
/// FIFO swapped in from hanging the open, and `fstat` must show a regular file, so links, FIFOs,
/// sockets, devices and directories are refused with a reason instead of blocking or misreading. A file larger than
/// `ReaderLimits.maxFileBytes` is refused from `fstat` alone, before a byte is read, and a file
/// that grows past the cap while it is read is refused then: a sparse or endlessly growing file
/// costs nothing.
package final class InputFile {
    package let path: String
    let descriptor: Int32
    private let owned: Bool
    /// Size in bytes and modification time (nanoseconds since 1970) when it was opened; zero
    /// for standard input.
    package let size: Int
    package let modified: Int64
    /// Status-change time (ctime, nanoseconds since 1970) when it was opened; zero for standard
    /// input. No user can set it, so it tells a copy made with `cp -p` from the file it replaced.
    package let changed: Int64
    /// Device and inode when it was opened (zero for standard input): lets a caller check that a
    /// name still refers to this file before it deletes or moves it.
    package let device: UInt64
    package let inode: UInt64
    /// Most bytes `read` and `forEachChunk` hand out before refusing the file.
    private let maxBytes: Int
    /// Bytes `read` has returned so far.
    private var bytesRead = 0

    private init(
        path: String, descriptor: Int32, owned: Bool, size: Int = 0, modified: Int64 = 0, changed: Int64 = 0,
        device: UInt64 = 0, inode: UInt64 = 0, maxBytes: Int = .max
    ) {
        self.path = path
        self.descriptor = descriptor
        self.owned = owned
        self.size = size
        self.modified = modified
        self.changed = changed
        self.device = device
        self.inode = inode
        self.maxBytes = maxBytes
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Standard input, read as it comes (pipes included).
    package static func standardInput() -> InputFile {
        InputFile(path: "(standard input)", descriptor: 0, owned: false)
    }

    /// Whether this is standard input rather than a file: an empty pipe is no error, an empty
    /// file is (a download or copy that never wrote a byte).
    package var isStandardInput: Bool { !owned }

    /// Opens `path` read-only if it is a regular file no larger than `limits.maxFileBytes`.
    ///
    /// `O_NOFOLLOW` covers only the last component of `path`; a caller that must not follow a
    /// symbolic link anywhere below some root (the daemon's spool) opens the parent directory
    /// itself and uses `open(name:in:path:limits:)`.
    package static func open(_ path: String, limits: ReaderLimits = .default) throws(ReaderError) -> InputFile {
        var entry = stat()
        if lstat(path, &entry) == 0 { try requireRegular(entry, path: path) }
        let descriptor = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        return try adopt(descriptor, errno: errno, path: path, limits: limits)
    }

    /// Opens the entry `name` of the open directory `directory` read-only, with the checks of
    /// `open(_:limits:)`; `path` names the file in errors.
    package static func open(
        name: String, in directory: Int32, path: String, limits: ReaderLimits = .default
    ) throws(ReaderError) -> InputFile {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw ReaderError(.unreadable, path: path, cause: "`\(name)` is not a file name")
        }
        var entry = stat()
        if fstatat(directory, name, &entry, AT_SYMLINK_NOFOLLOW) == 0 { try requireRegular(entry, path: path) }
        let descriptor = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        return try adopt(descriptor, errno: errno, path: path, limits: limits)
    }

    /// Checks what `open`/`openat` returned: a descriptor of a regular file within the size cap
    /// becomes an `InputFile`; anything else is closed and refused with the reason.
    private static func adopt(
        _ descriptor: Int32, errno code: Int32, path: String, limits: ReaderLimits
    ) throws(ReaderError) -> InputFile {
        guard descriptor >= 0 else {
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
        do {
            // Checked again on the descriptor: the entry may have been swapped since the lstat.
            try requireRegular(status, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        let size = Int(status.st_size)
        guard size <= limits.maxFileBytes else {
            close(descriptor)
            // Name a sparse file as such: its length is not what it costs on disk, but reading it
            // (to hash or inflate) would still walk every byte of zeros.
            let allocated = Int(status.st_blocks) * 512
            let sparse = allocated < size / 2 ? ", of which only \(allocated) are allocated (a sparse file)" : ""
            throw ReaderError(
                .fileTooLarge, path: path,
                cause:
                    "it is \(size) bytes\(sparse), over the limit of \(limits.maxFileBytes); real CloudTrail files are a few megabytes"
            )
        }
        // Reads of a regular file never block; clear O_NONBLOCK anyway so read() is plain.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return InputFile(
            path: path, descriptor: descriptor, owned: true, size: size,
            modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
            changed: Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec),
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino), maxBytes: limits.maxFileBytes)
    }

    /// Refuses anything but a regular file, naming what it is.
    ///
    /// The callers check the entry with `lstat` before opening it and the descriptor after, so a
    /// FIFO, socket or device seen by the first check is never opened at all: opening some devices
    /// has effects of its own (a watchdog arms, a tape rewinds), and `O_NONBLOCK` only keeps the
    /// open itself from blocking.
    private static func requireRegular(_ status: stat, path: String) throws(ReaderError) {
        let type = status.st_mode & S_IFMT
        guard type != S_IFREG else { return }
        let what =
            switch type {
            case S_IFLNK: "a symbolic link, which trailhound does not follow"
            case S_IFDIR: "a directory"
            case S_IFIFO: "a FIFO"
            case S_IFSOCK: "a socket"
            case S_IFCHR: "a character device"
            case S_IFBLK: "a block device"
            default: "not a regular file"
            }
        throw ReaderError(.notRegularFile, path: path, cause: "it is \(what)")
    }

    /// The error for a file that grew past the cap after it was opened.
    private var grewTooLarge: ReaderError {
        ReaderError(
            .fileTooLarge, path: path,
            cause: "it grew past the limit of \(maxBytes) bytes while being read (it was \(size) when opened)")
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
            if count > maxBytes - offset { throw grewTooLarge }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += count
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                if count > maxBytes - bytesRead { throw grewTooLarge }
                bytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw ReaderError(.unreadable, path: path, cause: String(cString: strerror(errno)))
        }
    }
}
