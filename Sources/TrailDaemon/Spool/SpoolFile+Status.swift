#if canImport(Glibc)
    import Glibc
#endif

extension SpoolFile {
    /// An observation built from `lstat` output.
    init(path: String, status: stat) {
        let seconds = Int64(status.st_mtim.tv_sec)
        let nanoseconds = Int64(status.st_mtim.tv_nsec)
        self.init(
            path: path, size: Int(status.st_size), modified: seconds * 1_000_000_000 + nanoseconds,
            type: EntryType(mode: UInt32(status.st_mode)))
    }
}
