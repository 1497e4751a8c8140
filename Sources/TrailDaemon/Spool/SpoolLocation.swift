import Foundation
import TrailReader

#if canImport(Glibc)
    import Glibc
#endif

/// Where one spool file is: its parent directory held open, reached from the spool root one
/// component at a time without following symbolic links, and the file's name in it.
///
/// `O_NOFOLLOW` on a full path protects only its last component: a directory of the spool swapped
/// for a symbolic link (to `/etc`, say) would lead an `open`, `unlink` or `rename` by path outside
/// the spool. So every directory below the root is opened with `openat(parent, name,
/// O_DIRECTORY | O_NOFOLLOW)`, and everything done to the file (open, `fstatat`, `unlinkat`,
/// `renameat`) is relative to the verified parent descriptor. A directory swapped after the walk
/// cannot redirect a later step either: the descriptor still names the directory that was checked
/// (operations.md, 5.3).
///
/// `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` (Linux 5.6) would resolve the path in one
/// call, but Glibc has no wrapper and Swift cannot call the variadic `syscall(2)`; walking the
/// components gives the same guarantee, since spool paths (from the scanner and inotify) never hold
/// `..` and one is refused here anyway.
final class SpoolLocation {
    /// Why a location could not be opened.
    enum Failure: Error, Sendable {
        /// A directory on the path no longer exists: the file went with it.
        case gone
        /// The path leads outside the spool (`SpoolError.Kind.outsideSpool`); nothing was opened
        /// through it.
        case refused(SpoolError)
        /// The root or a directory on the path cannot be opened (permissions, descriptors).
        case unreadable(SpoolError)
    }

    /// The path relative to the spool root.
    let path: String
    /// The root and the path joined, for messages.
    let absolute: String
    /// The last component: the file's name in `parent`.
    let name: String
    /// The parent directory, opened without following links.
    let parent: Int32

    private init(path: String, absolute: String, name: String, parent: Int32) {
        self.path = path
        self.absolute = absolute
        self.name = name
        self.parent = parent
    }

    deinit {
        close(parent)
    }

    /// Opens the parent directory of `path` (relative to `root`). The root may itself be a
    /// symbolic link, an operator's choice in the configuration; nothing below it may be.
    static func open(root: String, path: String) -> Result<SpoolLocation, Failure> {
        let absolute = root + "/" + path
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let bad = components.first(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return .failure(
                .refused(
                    SpoolError(
                        .outsideSpool, path: path,
                        cause: "it has a `\(bad)` segment; spool paths name files below the root")))
        }
        var current = Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else {
            let code = errno
            return .failure(
                code == ENOENT
                    ? .gone : .unreadable(SpoolError(.unreadableRoot, path: root, cause: SpoolErrno(code).description)))
        }
        var walked = ""
        for component in components.dropLast() {
            walked = walked.isEmpty ? component : walked + "/" + component
            let next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                let code = errno
                let failure = describe(code, component: component, in: current, walked: walked, file: path)
                close(current)
                return .failure(failure)
            }
            close(current)
            current = next
        }
        return .success(SpoolLocation(path: path, absolute: absolute, name: components.last!, parent: current))
    }

    /// The failure for a directory component that `openat` refused with `code`.
    private static func describe(
        _ code: Int32, component: String, in directory: Int32, walked: String, file: String
    ) -> Failure {
        if code == ENOENT { return .gone }
        guard code == ELOOP || code == ENOTDIR else {
            return .unreadable(SpoolError(.unreadableDirectory, path: walked, cause: SpoolErrno(code).description))
        }
        var status = stat()
        let isLink =
            fstatat(directory, component, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFLNK
        let what =
            isLink
            ? "`\(walked)` is a symbolic link, which trailhound does not follow below the spool"
            : "`\(walked)` is not a directory"
        return .refused(
            SpoolError(.outsideSpool, path: file, cause: "\(what); nothing was opened through it"))
    }

    /// Opens the file for reading with `InputFile`'s checks (regular file, no link, size cap).
    func openFile(limits: ReaderLimits) throws(ReaderError) -> InputFile {
        try InputFile.open(name: name, in: parent, path: absolute, limits: limits)
    }

    /// `lstat` of the file, through the parent descriptor; nil when it is gone.
    func status() -> stat? {
        var status = stat()
        return fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 ? status : nil
    }

    /// Whether the name still refers to `file` (same device and inode): a file replaced since it
    /// was read must not be deleted or moved as if it had been.
    func stillHolds(_ file: InputFile) -> Bool {
        guard let status = status() else { return false }
        return UInt64(status.st_dev) == file.device && UInt64(status.st_ino) == file.inode
    }

    /// Deletes the file (a symbolic link itself, never its target). A file already gone is not an
    /// error.
    func remove() throws(SpoolErrno) {
        guard unlinkat(parent, name, 0) == 0 || errno == ENOENT else { throw SpoolErrno(errno) }
    }

    /// Moves the file (a symbolic link itself, never its target) to `target`, an absolute path in
    /// a directory the configuration names (the operator's, not the spool's), creating the
    /// directories it needs. Returns false when the file was already gone.
    @discardableResult
    func move(to target: String) throws -> Bool {
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard renameat(parent, name, AT_FDCWD, target) == 0 else {
            if errno == ENOENT { return false }
            throw SpoolErrno(errno)
        }
        return true
    }
}
