import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What trailhound checks of a file it takes its configuration or a secret from before reading
/// it: that it is there, and that no one but its owner (root, or the user trailhound runs as) can
/// change it, or read it too for a secret. Each caller words the problem for its own key.
package enum TrustedFile {
    package enum Problem: Sendable, Hashable {
        /// `stat` failed, with `strerror`'s text.
        case unreadable(String)
        case notRegular
        /// Mode bits the caller forbids are set; the file's permission bits.
        case mode(UInt32)
        case foreignOwner
    }

    /// The problem with `path`, or nil: `forbidden` are the mode bits it must not have (0o022:
    /// writable by group or others; 0o027: also readable by others), `regular` whether it must
    /// be a regular file.
    package static func problem(_ path: String, forbidden: UInt32, regular: Bool) -> Problem? {
        var info = stat()
        guard stat(path, &info) == 0 else { return .unreadable(String(cString: strerror(errno))) }
        if regular && info.st_mode & S_IFMT != S_IFREG { return .notRegular }
        if UInt32(info.st_mode) & forbidden != 0 { return .mode(UInt32(info.st_mode) & 0o777) }
        if info.st_uid != 0 && info.st_uid != getuid() { return .foreignOwner }
        return nil
    }
}
