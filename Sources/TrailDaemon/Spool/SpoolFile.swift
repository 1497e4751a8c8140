/// One file observed in the spool: where it is, how big, when it last changed, and what it is.
///
/// Size and modification time together are the spool's change detector: a file whose pair has
/// not moved for the settle time is taken to be complete, and a finished file seen again with a
/// different pair is proposed again (the ledger then decides by content hash).
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
    /// What the entry is; anything but `.regular` is quarantined by the caller, never opened.
    package var type: EntryType

    /// Creates an observation.
    package init(path: String, size: Int, modified: Int64, type: EntryType = .regular) {
        self.path = path
        self.size = size
        self.modified = modified
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

    /// Whether `other` is the same content as far as `lstat` can tell: same size, same mtime and
    /// same entry type.
    package func isUnchanged(from other: SpoolFile) -> Bool {
        size == other.size && modified == other.modified && type == other.type
    }
}
