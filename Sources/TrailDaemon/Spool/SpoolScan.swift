/// The result of one full walk of the spool.
///
/// A scan is a snapshot: every file the filter takes that existed while its directory was read.
/// `SpoolWatcher` treats a path missing from it as gone, which is how deleted files are forgotten
/// even when their inotify events were lost.
package struct SpoolScan: Sendable, Hashable {
    /// A path the filter did not take, and why, for debug logging.
    package struct Ignored: Sendable, Hashable {
        /// The path relative to the spool root.
        package var path: String
        /// Why the filter did not take it.
        package var reason: SpoolFilter.Reason

        /// Creates an entry.
        package init(path: String, reason: SpoolFilter.Reason) {
            self.path = path
            self.reason = reason
        }
    }

    /// The taken files, regular or not, sorted by path. Non-regular entries (symbolic links,
    /// FIFOs, sockets, devices) are here so the caller can quarantine them with a reason.
    package var files: [SpoolFile]
    /// The directories walked, relative to the root (the root itself is not listed), sorted.
    package var directories: [String]
    /// Files and links the filter did not take. Hidden directories are listed here, not walked.
    package var ignored: [Ignored]
    /// Directories that could not be read and names that could not be handled; the rest of the
    /// spool was still scanned.
    package var problems: [SpoolError]

    /// Creates a scan result.
    package init(
        files: [SpoolFile] = [], directories: [String] = [], ignored: [Ignored] = [], problems: [SpoolError] = []
    ) {
        self.files = files
        self.directories = directories
        self.ignored = ignored
        self.problems = problems
    }
}
