/// One file observed in the spool: where it is, how big, when it last changed, and what it is.
///
/// Size, modification time and status-change time together are the spool's change detector: a
/// file whose size and mtime have not moved for the settle time is taken to be complete, and a
/// finished file seen again with any of the three changed is proposed again (the ledger then
/// decides by content hash). The ctime is there because mtime is not evidence: `cp -p`,
/// `rsync -t` and `aws s3 cp` set it, so a good copy put in the place of a quarantined one keeps
/// size and mtime; but no user can set the ctime, and a `chmod` that makes a file readable moves
/// it too.
package struct SpoolFile: Sendable, Hashable {
    /// What kind of directory entry the path is, from `lstat` (links are never followed).
    package enum EntryType: String, Sendable, Hashable {
        /// A regular file, the only kind trailhound reads.
        case regular
        /// A directory.
        case directory
        /// A symbolic link (never followed).
        case symbolicLink
        /// A named pipe; opening it could block.
        case fifo
        /// A Unix-domain socket.
        case socket
        /// A character device.
        case characterDevice
        /// A block device.
        case blockDevice
        /// Anything else `st_mode` can say.
        case unknown

        /// The type encoded in an `st_mode`.
        package init(mode: UInt32) {
            // The S_IF* values are the same on every platform Swift runs on.
            switch mode & 0o170000 {
            case 0o100000: self = .regular
            case 0o040000: self = .directory
            case 0o120000: self = .symbolicLink
            case 0o010000: self = .fifo
            case 0o140000: self = .socket
            case 0o020000: self = .characterDevice
            case 0o060000: self = .blockDevice
            default: self = .unknown
            }
        }

        /// A phrase for messages: "it is a FIFO".
        package var phrase: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a directory"
            case .symbolicLink: "a symbolic link, which trailhound does not follow"
            case .fifo: "a FIFO"
            case .socket: "a socket"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            case .unknown: "not a regular file"
            }
        }
    }

    /// The path relative to the spool root, `/`-separated, without a leading `/`.
    package var path: String
    /// The size in bytes, as `lstat` reported it.
    package var size: Int
    /// The modification time in nanoseconds since 1970-01-01T00:00:00Z.
    package var modified: Int64
    /// The status-change time (ctime) in nanoseconds since 1970: changes with the content, the
    /// mode, the owner or the name, and cannot be set by a user.
    package var changed: Int64
    /// What the entry is; anything but `.regular` is quarantined by the caller, never opened.
    package var type: EntryType

    /// Creates an observation.
    package init(path: String, size: Int, modified: Int64, changed: Int64? = nil, type: EntryType = .regular) {
        self.path = path
        self.size = size
        self.modified = modified
        self.changed = changed ?? modified
        self.type = type
    }

    /// Whether the entry is a regular file (the only kind trailhound reads).
    package var isRegular: Bool { type == .regular }

    /// The last path component.
    package var fileName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The CloudTrail name parsed from the last component, or nil for files taken by a custom glob
    /// that do not follow CloudTrail's convention.
    package var name: CloudTrailFileName? { CloudTrailFileName(fileName: fileName) }

    /// Whether `other` is the same entry as far as `lstat` can tell: same size, mtime, ctime and
    /// entry type.
    package func isUnchanged(from other: SpoolFile) -> Bool {
        size == other.size && modified == other.modified && changed == other.changed && type == other.type
    }
}
