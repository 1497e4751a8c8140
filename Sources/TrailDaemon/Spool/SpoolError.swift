/// Why the spool, or a directory in it, could not be walked or watched, and where.
///
/// Only an unreadable root (or an inotify instance that cannot be created) stops a scan or a
/// watcher; problems below the root are collected as values in `SpoolScan.problems` or delivered
/// as watcher events, so one bad directory never hides the rest of the spool.
package struct SpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of problem, stable enough to test against.
    package enum Kind: String, Sendable, Hashable {
        /// The spool root cannot be opened as a directory.
        case unreadableRoot
        /// A directory below the root cannot be opened or listed.
        case unreadableDirectory
        /// A name that is not valid UTF-8; trailhound cannot name it in logs or reopen it by path.
        case unsupportedName
        /// Directories nested deeper than the walk allows (a loop of bind mounts, or a mistake).
        case tooDeep
        /// A symbolic link to a directory below the root: never followed, so nothing behind it
        /// is read (operations.md, 5.3).
        case symbolicLink
        /// A file's path leads outside the spool: a directory on it is a symbolic link or not a
        /// directory at all (swapped in after the scan), or the path has a `..` or empty segment.
        case outsideSpool
        /// `inotify_init1` failed.
        case inotifyUnavailable
        /// `inotify_add_watch` failed for a directory; it is covered by rescans only.
        case watchFailed
        /// The spool root was deleted, moved, unmounted or replaced (or came back as something
        /// that cannot be watched): nothing is watched until it is back, which the watcher notices
        /// by itself (`InotifyWatcher`).
        case rootGone
    }

    /// What went wrong, broadly.
    package var kind: Kind
    /// The path concerned: the root as configured, or a path relative to it.
    package var path: String
    /// The underlying cause, in words (usually `strerror` text).
    package var cause: String
    /// What the operator can do about it, when something is known to help.
    package var hint: String?

    /// Creates an error about `path`.
    package init(_ kind: Kind, path: String, cause: String, hint: String? = nil) {
        self.kind = kind
        self.path = path
        self.cause = cause
        self.hint = hint
    }

    /// One line: `PATH: WHAT: CAUSE (HINT)`.
    package var description: String {
        let what =
            switch kind {
            case .unreadableRoot: "cannot read the spool directory"
            case .unreadableDirectory: "cannot read spool subdirectory"
            case .unsupportedName: "skipped a name that is not valid UTF-8"
            case .tooDeep: "not descending further"
            case .symbolicLink: "not following a symbolic link to a directory"
            case .outsideSpool: "refused a path that leads outside the spool"
            case .inotifyUnavailable: "cannot create an inotify instance"
            case .watchFailed: "cannot watch directory, relying on rescans for it"
            case .rootGone: "the spool directory went away"
            }
        let fix = hint.map { " (\($0))" } ?? ""
        return "\(path.isEmpty ? "." : path): \(what): \(cause)\(fix)"
    }
}
