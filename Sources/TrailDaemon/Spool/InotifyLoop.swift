import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// The inside of `InotifyWatcher`: the watch-descriptor map and the loop its thread runs.
///
/// It is created and filled (initial watches) by `InotifyWatcher.init`, then handed to the
/// background thread, which alone touches it from then on; that single ownership is why it needs
/// no locks beyond the mailbox (`Requests`) through which the watcher asks it to stop or to check
/// its watches. It never closes the descriptors: the watcher does, after joining the thread.
///
/// The root's watch heals. When the root is deleted, moved away, unmounted or replaced, every
/// watch is dropped, `.failed(.rootGone)` is reported once, and the root's parent directory is
/// watched for an entry of the root's name to be created or moved in. Right after that watch is
/// added the root is tried once more (it may have come back in between); whenever it can be
/// watched again, the whole tree is watched and `.rootReturned` asks for a full scan. A check
/// (`refresh`, which the driver calls at every rescan, and an IN_Q_OVERFLOW) re-arms whatever is
/// missing: the root when its watch is gone or it now names another directory (a symbolic link
/// re-pointed, a file system mounted over it), the parent's watch when the parent was gone too,
/// and subdirectories the scan listed that have no watch. So a lost event, or a parent that was
/// itself deleted, costs at most the wait for the next scan (while the root is gone its scans
/// fail, and are retried every `spool.settle_time`).
final class InotifyLoop {
    /// What every directory watch asks for. IN_MOVE_SELF is added to the documented set so that a
    /// renamed spool root is noticed; IN_ATTRIB so that a `chmod` that makes an unreadable file
    /// readable is acted on at once; IN_DONT_FOLLOW and IN_ONLYDIR make the kernel refuse a
    /// symbolic link or a file where a directory was listed.
    static let mask: UInt32 =
        UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_MODIFY) | UInt32(IN_DELETE)
        | UInt32(IN_MOVED_FROM) | UInt32(IN_ATTRIB) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)
        | UInt32(IN_DONT_FOLLOW) | UInt32(IN_ONLYDIR)

    /// The root's watch: the same, except that a root which is a symbolic link is followed (an
    /// operator's choice in the configuration, as for scans); nothing below it ever is.
    static let rootMask: UInt32 = mask & ~UInt32(IN_DONT_FOLLOW)

    /// The watch on the root's parent while the root is gone: an entry created or moved in (the
    /// root's return, as a directory or a link to one) and the parent's own end.
    static let parentMask: UInt32 =
        UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    /// How many `read`s to handle before polling again, so a flood of events cannot delay `stop`.
    private static let readsPerWakeup = 16

    /// What the watcher asks of the thread, under a lock; a byte on the wake pipe says to look.
    struct Requests: Sendable {
        /// Exit the loop.
        var stop = false
        /// Check the watches (`refresh(directories:)`).
        var refresh = false
        /// The directories the last scan listed, for that check; nil when the scan failed.
        var directories: [String]?
    }

    let root: String
    let filter: SpoolFilter
    let inotify: Int32
    let wake: Int32
    let continuation: AsyncStream<InotifyWatcher.Event>.Continuation
    let requests: NIOLockedValueBox<Requests>
    /// The root's parent directory and the root's name in it, or nil when the root has no parent
    /// to watch (`/`): then only rescans notice its return.
    let parent: (path: String, name: [UInt8])?

    /// Watch descriptor → directory path relative to the root ("" for the root).
    private(set) var directories: [Int32: String] = [:]
    /// The root's watch, or -1 while the root is gone.
    private(set) var rootWatch: Int32 = -1
    /// The device and inode the root's path led to when it was watched: a path that leads
    /// elsewhere now (a link re-pointed, a file system mounted on it) means the watch is stale.
    private var rootIdentity: (device: UInt64, inode: UInt64)?
    /// The watch on the root's parent while the root is gone, or -1.
    private(set) var parentWatch: Int32 = -1
    /// Why the root is gone, as last reported, so a retry that fails the same way says nothing.
    private var goneCause: String?
    /// Watch failures already reported, by path, so a rescan's retry does not repeat them.
    private var reportedFailures: [String: String] = [:]
    /// Set when the stream's buffer was full and an event was dropped; an `.overflow` is owed.
    private var overflowPending = false
    /// The root's latest word (`.failed(.rootGone)` or `.rootReturned`) when it did not fit in the
    /// stream: owed like the overflow and delivered after it, because a rescan cannot stand in for
    /// it (the driver's health, the log and the watchdog depend on it).
    private var rootReportPending: InotifyWatcher.Event?

    /// Whether an event is owed to the consumer.
    private var owes: Bool { overflowPending || rootReportPending != nil }

    init(
        root: String, filter: SpoolFilter, inotify: Int32, wake: Int32,
        continuation: AsyncStream<InotifyWatcher.Event>.Continuation,
        requests: NIOLockedValueBox<Requests> = NIOLockedValueBox(Requests())
    ) {
        self.root = root
        self.filter = filter
        self.inotify = inotify
        self.wake = wake
        self.continuation = continuation
        self.requests = requests
        self.parent = Self.split(root)
    }

    /// The directory holding `root` and the root's name in it; nil for `/` (or a path ending in
    /// `.` or `..`, whose name in its parent is not what the path says).
    static func split(_ root: String) -> (path: String, name: [UInt8])? {
        var path = Substring(root)
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else {
            return path.isEmpty || path == "." || path == ".." ? nil : (".", Array(path.utf8))
        }
        let name = path[path.index(after: slash)...]
        guard !name.isEmpty, name != ".", name != ".." else { return nil }
        var directory = path[..<slash]
        while directory.hasSuffix("/") { directory = directory.dropLast() }
        return (directory.isEmpty ? "/" : String(directory), Array(name.utf8))
    }

    /// Watches the root and every directory below it. Only a root that cannot be watched throws;
    /// a subdirectory that cannot be is reported as a `.failed` event and left to rescans.
    func watchTree() throws(SpoolError) {
        if let error = addWatches(at: "", announce: false, depth: 0) { throw error }
    }

    // MARK: - The thread's loop

    /// Polls the inotify descriptor and the wake pipe until the pipe becomes readable.
    func run() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        var descriptors = [
            pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            // While an overflow is owed, wake up now and then to deliver it once the consumer has
            // made room; otherwise sleep until something happens.
            let result = poll(&descriptors, 2, owes ? 100 : -1)
            if result < 0 {
                if errno == EINTR { continue }
                emit(.failed(SpoolError(.watchFailed, path: "", cause: "poll: " + SpoolErrno(errno).description)))
                return
            }
            var asked = Requests()
            if descriptors[1].revents != 0 {
                guard let taken = takeRequests(), !taken.stop else { return }
                asked = taken
            }
            if owes { deliverOwed() }
            let inotifyEvents = Int32(descriptors[0].revents)
            if inotifyEvents & Int32(POLLIN) != 0 {
                guard drain(buffer) else { return }
            } else if inotifyEvents & (Int32(POLLERR) | Int32(POLLHUP) | Int32(POLLNVAL)) != 0 {
                return
            }
            // After the records already queued, so a root whose deletion is reported there is
            // reported as deleted, and the check looks at what those records left.
            if asked.refresh { refresh(directories: asked.directories) }
        }
    }

    /// Empties the wake pipe and takes what the watcher asked; nil when the pipe failed (only
    /// closing it does that).
    private func takeRequests() -> Requests? {
        var bytes = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(wake, &bytes, bytes.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { return nil }
            break
        }
        return requests.withLockedValue { requests in
            defer { requests = Requests(stop: requests.stop) }
            return requests
        }
    }

    /// Reads and handles what is queued; false when the descriptor failed for good.
    private func drain(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        for _ in 0..<Self.readsPerWakeup {
            let count = read(inotify, buffer.baseAddress, buffer.count)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return true }
                emit(.failed(SpoolError(.watchFailed, path: "", cause: "read: " + SpoolErrno(code).description)))
                return false
            }
            if count == 0 { return true }
            // The kernel only returns whole records, so nothing is left over between reads.
            let (records, _) = InotifyRecord.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            // The kernel merges an event identical to the last one still queued, so a writer in
            // small chunks does not cost one lstat per write while this thread lags behind.
            for record in records { handle(record) }
        }
        return true
    }

    // MARK: - Events

    /// Turns one kernel record into zero or more watcher events, keeping the watch map current.
    func handle(_ record: InotifyRecord) {
        let mask = record.mask
        func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
        if has(IN_Q_OVERFLOW) {
            // The lost events may include new directories, which would then never be watched,
            // or the root's own end or return. Check the root and walk the tree again first
            // (watching an already watched directory just returns its descriptor), so the rescan
            // `.overflow` triggers runs with every watch in place.
            refresh(directories: nil)
            emit(.overflow)
            return
        }
        if parentWatch >= 0 && record.watch == parentWatch {
            handleParent(record)
            return
        }
        guard let directory = directories[record.watch] else { return }
        if has(IN_IGNORED) {
            // The watch is gone (its directory was deleted, or we removed it): forget it.
            directories[record.watch] = nil
            if record.watch == rootWatch { rootLost("its watch was removed") }
            return
        }
        if record.watch == rootWatch && (has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_UNMOUNT)) {
            rootLost(
                has(IN_UNMOUNT)
                    ? "its file system was unmounted" : has(IN_MOVE_SELF) ? "it was moved away" : "it was deleted")
            return
        }
        // Events about a watched directory itself are reported by its parent's watch instead.
        guard let rawName = record.name else { return }
        // A name that is not UTF-8 cannot be represented; the scanner reports it as a problem.
        guard let name = String(validating: rawName, as: UTF8.self) else { return }
        let path = directory.isEmpty ? name : directory + "/" + name

        if has(IN_ISDIR) {
            if has(IN_CREATE) || has(IN_MOVED_TO) {
                guard filter.walks(directory: path) else { return }
                let depth = path.split(separator: "/").count
                if let error = addWatches(at: path, announce: true, depth: depth) { report(error) }
            } else if has(IN_DELETE) || has(IN_MOVED_FROM) {
                removeWatches(under: path)
                emit(.directoryRemoved(path: path))
            }
            return
        }
        if has(IN_DELETE) || has(IN_MOVED_FROM) {
            // Passed on whatever the name: forgetting an unknown path costs nothing.
            emit(.removed(path: path))
            return
        }
        // A download's temporary name, a digest, a dotfile: never a file to process, so it is
        // dropped here rather than trusting every driver to filter.
        guard filter.decide(path) == .take else { return }
        if has(IN_CLOSE_WRITE) || has(IN_MOVED_TO) {
            if let file = observe(path) { emit(.closed(file)) }
        } else if has(IN_CREATE) || has(IN_MODIFY) || has(IN_ATTRIB) {
            if let file = observe(path) { emit(.changed(file)) }
        }
    }

    /// A record of the parent's watch, which exists only while the root is gone: an entry of the
    /// root's name created or moved in (a directory, or a link to one) may be the root's return;
    /// the parent's own end drops its watch, and the next check adds it again if it can.
    private func handleParent(_ record: InotifyRecord) {
        let mask = record.mask
        func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
        if has(IN_IGNORED) {
            parentWatch = -1
            return
        }
        if has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_UNMOUNT) {
            // A moved parent's watch would go on reporting a directory that no longer holds the root.
            inotify_rm_watch(inotify, parentWatch)
            parentWatch = -1
            // Something may already stand at the parent's path again.
            armRoot()
            return
        }
        guard has(IN_CREATE) || has(IN_MOVED_TO), record.name == parent?.name else { return }
        armRoot()
    }

    /// `lstat` of a path relative to the root; nil when it is already gone again (its removal
    /// event follows).
    private func observe(_ path: String) -> SpoolFile? {
        guard case .success(let status) = SpoolDirectory.status(ofPath: fullPath(path)) else { return nil }
        return SpoolFile(path: path, status: status)
    }

    // MARK: - The root going and coming back

    /// Checks the watches against the disk, re-arming what is missing: the driver calls it at
    /// every rescan (through `InotifyWatcher.refresh`) with the directories the scan listed, or
    /// with nil when the scan failed; an IN_Q_OVERFLOW calls it with nil, which walks the whole
    /// tree again.
    func refresh(directories listed: [String]?) {
        verifyRoot()
        guard rootWatch >= 0 else {
            armRoot()
            return
        }
        guard let listed else {
            if let error = addWatches(at: "", announce: false, depth: 0) { report(error) }
            return
        }
        let watched = Set(directories.values)
        // A directory added here is walked, so the ones below it are watched with it.
        var added: [String] = []
        for path in listed where !watched.contains(path) && filter.walks(directory: path) {
            if added.contains(where: { path.hasPrefix($0 + "/") }) { continue }
            let depth = path.split(separator: "/").count
            guard depth < SpoolScanner.maximumDepth else { continue }
            // Announced, so a scan runs once the watch exists and finds what landed before it.
            if let error = addWatches(at: path, announce: true, depth: depth) { report(error) }
            added.append(path)
        }
    }

    /// Declares the root gone when its path no longer leads to the directory that is watched
    /// (deleted or replaced while an event was lost, a link re-pointed, a file system mounted on
    /// it). The next `armRoot` watches whatever is there now.
    private func verifyRoot() {
        guard rootWatch >= 0 else { return }
        var status = stat()
        guard stat(root, &status) == 0 else {
            rootLost("it cannot be found: " + SpoolErrno(errno).description)
            return
        }
        if status.st_mode & S_IFMT != S_IFDIR {
            rootLost("it is not a directory any more")
        } else if let identity = rootIdentity,
            identity != (UInt64(status.st_dev), UInt64(status.st_ino))
        {
            rootLost("its path leads to another directory now")
        }
    }

    /// The root's watch is gone or stale: drops every watch (a moved root's would go on reporting
    /// paths that no longer lead anywhere), reports it once, and starts watching for its return.
    private func rootLost(_ cause: String) {
        guard rootWatch >= 0 else { return }
        for watch in directories.keys { inotify_rm_watch(inotify, watch) }
        directories.removeAll()
        rootWatch = -1
        rootIdentity = nil
        reportedFailures.removeAll()
        goneCause = cause
        emit(.failed(Self.goneError(root: root, cause: cause)))
        armRoot()
    }

    /// The error `.failed` carries when the root is gone (or came back as something that cannot
    /// be watched).
    static func goneError(root: String, cause: String) -> SpoolError {
        SpoolError(
            .rootGone, path: root, cause: cause,
            hint:
                "recreate it, or fix `spool.directory`; trailhound watches for its return and resumes by itself, and withholds the watchdog ping meanwhile"
        )
    }

    /// Tries to watch the gone root again. The parent's watch is added first and the root tried
    /// after it, so a root that came back before the parent's watch existed is found now and one
    /// that comes back later is reported by that watch. On success the parent's watch goes and
    /// `.rootReturned` asks for a full scan: files may have landed before the watches existed.
    private func armRoot() {
        guard rootWatch < 0 else { return }
        if parentWatch < 0, let parent {
            // A parent that is gone too is not an error: the next check tries again.
            let watch = inotify_add_watch(inotify, parent.path, Self.parentMask)
            if watch >= 0 { parentWatch = watch }
        }
        if let error = addWatches(at: "", announce: false, depth: 0) {
            // Still absent says nothing new; back as something that cannot be watched (a file, a
            // dangling link, no permission) is reported once, with that reason.
            guard error.cause != SpoolErrno(ENOENT).description else { return }
            let cause = "it is back, but cannot be watched: " + error.cause
            guard cause != goneCause else { return }
            goneCause = cause
            emit(.failed(Self.goneError(root: root, cause: cause)))
            return
        }
        goneCause = nil
        if parentWatch >= 0 {
            inotify_rm_watch(inotify, parentWatch)
            parentWatch = -1
        }
        emit(.rootReturned)
    }

    // MARK: - Watches

    private func fullPath(_ path: String) -> String { path.isEmpty ? root : root + "/" + path }

    /// Watches the directory at `path` and, recursively, every directory below it. The watch is
    /// added before the directory is listed, so a subdirectory created meanwhile is either listed
    /// or reported by the new watch; `announce` reports each directory as `.directoryAdded`
    /// (after its watch exists) so the driver's scan catches files that landed before it.
    /// Returns the error for `path` itself when it is the root or cannot be watched.
    private func addWatches(at path: String, announce: Bool, depth: Int) -> SpoolError? {
        let watch = inotify_add_watch(inotify, fullPath(path), path.isEmpty ? Self.rootMask : Self.mask)
        guard watch >= 0 else {
            let code = errno
            if path.isEmpty {
                let hint = code == EMFILE || code == ENOSPC ? "raise fs.inotify.max_user_watches (sysctl)" : nil
                return SpoolError(.unreadableRoot, path: root, cause: SpoolErrno(code).description, hint: hint)
            }
            // Deleted again, or replaced by a file or a link: nothing to watch.
            if code == ENOENT || code == ENOTDIR || code == ELOOP { return nil }
            let hint = code == ENOSPC ? "raise fs.inotify.max_user_watches (sysctl)" : nil
            return SpoolError(.watchFailed, path: path, cause: SpoolErrno(code).description, hint: hint)
        }
        if let existing = directories[watch], existing != path, existing.isEmpty || isSameDirectory(existing, path) {
            // Two paths to one directory (a bind mount): its one watch reports under the first
            // path (the root's stays the root's), and scans cover the other. Taking it over would
            // leave the first unwatched, and each rescan would hand the watch back and forth,
            // announcing a scan every time.
            return nil
        }
        directories[watch] = path
        reportedFailures[path] = nil
        if path.isEmpty {
            rootWatch = watch
            var status = stat()
            rootIdentity = stat(root, &status) == 0 ? (UInt64(status.st_dev), UInt64(status.st_ino)) : nil
        }
        if announce { emit(.directoryAdded(path: path)) }
        guard depth < SpoolScanner.maximumDepth else { return nil }
        let opened = path.isEmpty ? SpoolDirectory.open(root: root) : SpoolDirectory.open(below: fullPath(path))
        guard case .success(let listing) = opened else { return nil }
        while case .success(let entry)? = listing.next() {
            guard let name = entry.name, case .success(let status) = listing.status(of: name),
                SpoolFile.EntryType(mode: UInt32(status.st_mode)) == .directory
            else { continue }
            let child = path.isEmpty ? name : path + "/" + name
            guard filter.walks(directory: child) else { continue }
            if let error = addWatches(at: child, announce: announce, depth: depth + 1) { report(error) }
        }
        return nil
    }

    /// Whether two paths below the root lead to the same directory now (a bind mount), rather than
    /// `first` being a stale name of a directory renamed to `second` while its events were lost.
    private func isSameDirectory(_ first: String, _ second: String) -> Bool {
        guard case .success(let one) = SpoolDirectory.status(ofPath: fullPath(first)),
            case .success(let other) = SpoolDirectory.status(ofPath: fullPath(second))
        else { return false }
        return one.st_dev == other.st_dev && one.st_ino == other.st_ino
    }

    /// Drops the watches of a directory that moved away (its descriptors would otherwise keep
    /// reporting under the old path). Deleted directories lose their watches in the kernel too;
    /// removing them again is harmless.
    private func removeWatches(under path: String) {
        let prefix = path + "/"
        for (watch, directory) in directories where directory == path || directory.hasPrefix(prefix) {
            inotify_rm_watch(inotify, watch)
            directories[watch] = nil
        }
    }

    // MARK: - Delivery

    /// Reports a directory that cannot be watched, once per path and reason: the check at every
    /// rescan tries it again, and the log should not repeat itself.
    private func report(_ error: SpoolError) {
        guard reportedFailures[error.path] != error.description else { return }
        if reportedFailures.count > 4096 { reportedFailures.removeAll() }
        reportedFailures[error.path] = error.description
        emit(.failed(error))
    }

    /// Yields an event; when the consumer is too far behind, drops it and owes an `.overflow`
    /// instead, exactly as the kernel does with IN_Q_OVERFLOW, so the driver rescans. A report of
    /// the root going or coming back is owed itself, after the overflow.
    private func emit(_ event: InotifyWatcher.Event) {
        deliverOwed()
        if !owes, case .enqueued = continuation.yield(event) { return }
        overflowPending = true
        switch event {
        case .rootReturned: rootReportPending = event
        case .failed(let error) where error.kind == .rootGone: rootReportPending = event
        default: break
        }
    }

    /// Delivers what is owed, in order, as far as the stream has room: the overflow, then the
    /// root's latest report. The thread calls it every 100 ms while something is owed.
    func deliverOwed() {
        if overflowPending, case .enqueued = continuation.yield(.overflow) { overflowPending = false }
        if !overflowPending, let report = rootReportPending, case .enqueued = continuation.yield(report) {
            rootReportPending = nil
        }
    }
}
