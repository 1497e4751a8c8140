#if canImport(Glibc)
    import Glibc
#endif

/// Walks the spool tree once and lists the files the filter takes.
///
/// The walk opens each directory relative to its parent with `O_NOFOLLOW`, examines entries with
/// `fstatat(AT_SYMLINK_NOFOLLOW)` and never opens a file, so symbolic links are reported rather
/// than followed, symlinked directories are not entered, and a FIFO cannot block the scan.
/// Non-regular entries whose names are taken are returned with their type, for the caller to
/// quarantine with a reason. A subdirectory that cannot be read, and a symbolic link to a
/// directory, are recorded in `SpoolScan.problems` and skipped; only an unreadable root throws.
package enum SpoolScanner {
    /// How deep the walk goes below the root. CloudTrail's layout is at most 9 levels
    /// (`prefix/AWSLogs/o-id/account/CloudTrail/region/YYYY/MM/DD`); 32 leaves room for prefixes
    /// while bounding the descriptors a pathological tree can hold open.
    package static let maximumDepth = 32

    /// Scans the tree under `root`; see the type's documentation.
    package static func scan(root: String, filter: SpoolFilter) throws(SpoolError) -> SpoolScan {
        let directory: SpoolDirectory
        switch SpoolDirectory.open(root: root) {
        case .success(let opened): directory = opened
        case .failure(let error): throw rootError(root, error)
        }
        var scan = SpoolScan()
        if let error = walk(directory, path: "", depth: 0, filter: filter, into: &scan) {
            throw rootError(root, error)
        }
        scan.files.sort { $0.path < $1.path }
        scan.directories.sort()
        scan.ignored.sort { $0.path < $1.path }
        return scan
    }

    private static func rootError(_ root: String, _ error: SpoolErrno) -> SpoolError {
        let hint: String? =
            switch error.code {
            case EACCES: "the user trailhound runs as needs read and search (r-x) permission on it"
            case ENOENT: "create it, or fix `spool.path` in the configuration"
            case ENOTDIR: "`spool.path` must name a directory"
            default: nil
            }
        return SpoolError(.unreadableRoot, path: root, cause: error.description, hint: hint)
    }

    /// Lists `directory` (at `path` relative to the root) and descends into its subdirectories.
    /// Returns the error that stopped this directory's own listing, for the caller to report.
    private static func walk(
        _ directory: SpoolDirectory, path: String, depth: Int, filter: SpoolFilter, into scan: inout SpoolScan
    ) -> SpoolErrno? {
        func child(_ name: String) -> String { path.isEmpty ? name : path + "/" + name }
        while let next = directory.next() {
            let entry: SpoolDirectory.Entry
            switch next {
            case .success(let listed): entry = listed
            case .failure(let error): return error
            }
            guard let name = entry.name else {
                scan.problems.append(
                    SpoolError(
                        .unsupportedName, path: child(entry.displayName), cause: "the name is not valid UTF-8",
                        hint: "rename it; trailhound does not read it"))
                continue
            }
            let status: stat
            switch directory.status(of: name) {
            case .success(let found): status = found
            // Deleted between readdir and fstatat: it is simply not part of this scan.
            case .failure(let error) where error.code == ENOENT: continue
            // Listing works without search (x) permission but fstatat does not; nothing in this
            // directory can be examined, so report the directory once.
            case .failure(let error): return error
            }
            let childPath = child(name)
            let type = SpoolFile.EntryType(mode: UInt32(status.st_mode))
            guard type == .directory else {
                // A link to a directory is never entered; say so, because files behind it are
                // silently missing otherwise (an operator's `AWSLogs -> /data/...` link, or a
                // directory swapped for a link to lead the daemon outside the spool).
                if type == .symbolicLink, filter.walks(directory: childPath), directory.pointsToDirectory(name) {
                    scan.problems.append(
                        SpoolError(
                            .symbolicLink, path: childPath,
                            cause: "trailhound reads only what is really below the spool",
                            hint: "point `spool.directory` at the real directory, or bind-mount it"))
                }
                switch filter.decide(childPath) {
                case .take: scan.files.append(SpoolFile(path: childPath, status: status))
                case .ignore(let reason): scan.ignored.append(SpoolScan.Ignored(path: childPath, reason: reason))
                }
                continue
            }
            guard filter.walks(directory: childPath) else {
                scan.ignored.append(SpoolScan.Ignored(path: childPath, reason: .hidden))
                continue
            }
            guard depth + 1 < maximumDepth else {
                scan.problems.append(
                    SpoolError(
                        .tooDeep, path: childPath, cause: "more than \(maximumDepth) directory levels below the spool"))
                continue
            }
            switch directory.open(child: name) {
            case .success(let subdirectory):
                scan.directories.append(childPath)
                if let error = walk(subdirectory, path: childPath, depth: depth + 1, filter: filter, into: &scan) {
                    scan.problems.append(SpoolError(.unreadableDirectory, path: childPath, cause: error.description))
                }
            case .failure(let error) where error.code == ENOENT:
                continue
            case .failure(let error):
                scan.problems.append(SpoolError(.unreadableDirectory, path: childPath, cause: error.description))
            }
        }
        return nil
    }
}
