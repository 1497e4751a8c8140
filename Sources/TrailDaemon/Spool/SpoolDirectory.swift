#if canImport(Glibc)
    import Glibc
#endif

/// An open directory in the spool, read with `readdir` and examined with `fstatat`, never following
/// symbolic links.
///
/// Everything below the root is opened relative to its parent's descriptor with `O_NOFOLLOW`, so a
/// symbolic link swapped in for a directory between listing and opening fails with `ELOOP` instead
/// of leading the walk outside the spool (operations.md, 5.3).
final class SpoolDirectory {
    /// One name in the directory.
    struct Entry {
        /// The name, or nil when it is not valid UTF-8.
        var name: String?
        /// The name decoded with replacement characters, for messages.
        var displayName: String
    }

    private let stream: OpaquePointer

    private init(stream: OpaquePointer) {
        self.stream = stream
    }

    deinit {
        closedir(stream)
    }

    /// The descriptor the stream reads; valid as long as `self`.
    var descriptor: Int32 { dirfd(stream) }

    /// Opens the spool root. The root may itself be a symbolic link (an operator's choice in the
    /// configuration); only what is below it is held to `O_NOFOLLOW`.
    static func open(root: String) -> Result<SpoolDirectory, SpoolErrno> {
        fromDescriptor(Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
    }

    /// Opens a directory below the root by its full path, refusing a symbolic link as the last
    /// component (for the inotify watcher, which knows directories by path).
    static func open(below path: String) -> Result<SpoolDirectory, SpoolErrno> {
        fromDescriptor(Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
    }

    /// Opens the subdirectory `name`, refusing symbolic links.
    func open(child name: String) -> Result<SpoolDirectory, SpoolErrno> {
        Self.fromDescriptor(openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
    }

    private static func fromDescriptor(_ descriptor: Int32) -> Result<SpoolDirectory, SpoolErrno> {
        guard descriptor >= 0 else { return .failure(SpoolErrno(errno)) }
        guard let stream = fdopendir(descriptor) else {
            let code = errno
            close(descriptor)
            return .failure(SpoolErrno(code))
        }
        return .success(SpoolDirectory(stream: stream))
    }

    /// The next entry other than `.` and `..`; nil at the end, or an error if listing failed.
    func next() -> Result<Entry, SpoolErrno>? {
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                return errno == 0 ? nil : .failure(SpoolErrno(errno))
            }
            let (name, display) = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    (String(validatingCString: $0), String(cString: $0))
                }
            }
            if display == "." || display == ".." { continue }
            return .success(Entry(name: name, displayName: display))
        }
    }

    /// `lstat` of `name` in this directory.
    func status(of name: String) -> Result<stat, SpoolErrno> {
        var status = stat()
        guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return .failure(SpoolErrno(errno)) }
        return .success(status)
    }

    /// Whether `name` in this directory is a symbolic link whose target is a directory. Only the
    /// target's `stat` is read (nothing is opened), so a link to a FIFO or device costs nothing.
    func pointsToDirectory(_ name: String) -> Bool {
        var status = stat()
        return fstatat(descriptor, name, &status, 0) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// `lstat` of an absolute or working-directory-relative path.
    static func status(ofPath path: String) -> Result<stat, SpoolErrno> {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .failure(SpoolErrno(errno)) }
        return .success(status)
    }
}
