#if canImport(Glibc)
    import Glibc
    // timespec's and timeval's fields are declared in SwiftOverlayShims: a release build with
    // MemberImportVisibility asks for it by name since TrailDaemon imports TrailEngine and
    // TrailDelivery (a debug build does not).
    import SwiftOverlayShims
#endif

extension SpoolFile {
    /// An observation built from `lstat` output.
    init(path: String, status: stat) {
        self.init(
            path: path, size: Int(status.st_size),
            modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
            changed: Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec),
            type: EntryType(mode: UInt32(status.st_mode)))
    }
}
