#if canImport(Glibc)
    import Glibc
#endif

/// The inside of `InotifyWatcher`: the watch-descriptor map and the loop its thread runs.
///
/// It is created and filled (initial watches) by `InotifyWatcher.init`, then handed to the
/// background thread, which alone touches it from then on; that single ownership is why it needs
/// no locks. It never closes the descriptors: the watcher does, after joining the thread.
final class InotifyLoop {
    /// What every directory watch asks for. IN_MOVE_SELF is added to the documented set so that a
    /// renamed spool root is noticed; IN_ATTRIB so that a `chmod` that makes an unreadable file
    /// readable is acted on at once; IN_DONT_FOLLOW and IN_ONLYDIR make the kernel refuse a
    /// symbolic link or a file where a directory was listed.
    static let mask: UInt32 =
        UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_MODIFY) | UInt32(IN_DELETE)
        | UInt32(IN_MOVED_FROM) | UInt32(IN_ATTRIB) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)
        | UInt32(IN_DONT_FOLLOW) | UInt32(IN_ONLYDIR)

    /// How many `read`s to handle before polling again, so a flood of events cannot delay `stop`.
    private static let readsPerWakeup = 16

    let root: String
    let filter: SpoolFilter
    let inotify: Int32
    let wake: Int32
    let continuation: AsyncStream<InotifyWatcher.Event>.Continuation

    /// Watch descriptor → directory path relative to the root ("" for the root).
    private(set) var directories: [Int32: String] = [:]
    private var rootWatch: Int32 = -1
    private var rootGoneReported = false
    /// Set when the stream's buffer was full and an event was dropped; an `.overflow` is owed.
    private var overflowPending = false

    init(
        root: String, filter: SpoolFilter, inotify: Int32, wake: Int32,
        continuation: AsyncStream<InotifyWatcher.Event>.Continuation
    ) {
        self.root = root
        self.filter = filter
        self.inotify = inotify
        self.wake = wake
        self.continuation = continuation
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
            let result = poll(&descriptors, 2, overflowPending ? 100 : -1)
            if result < 0 {
                if errno == EINTR { continue }
                emit(.failed(SpoolError(.watchFailed, path: "", cause: "poll: " + SpoolErrno(errno).description)))
                return
            }
            if descriptors[1].revents != 0 { return }
            if overflowPending { deliverOverflow() }
            let inotifyEvents = Int32(descriptors[0].revents)
            if inotifyEvents & Int32(POLLIN) != 0 {
                guard drain(buffer) else { return }
            } else if inotifyEvents & (Int32(POLLERR) | Int32(POLLHUP) | Int32(POLLNVAL)) != 0 {
                return
            }
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
            // The lost events may include new directories, which would then never be watched.
            // Walk the tree again first (watching an already watched directory just returns its
            // descriptor), so the rescan `.overflow` triggers runs with every watch in place.
            if let error = addWatches(at: "", announce: false, depth: 0) { emit(.failed(error)) }
            emit(.overflow)
            return
        }
        guard let directory = directories[record.watch] else { return }
        if has(IN_IGNORED) {
            // The watch is gone (its directory was deleted, or we removed it): forget it.
            directories[record.watch] = nil
            if record.watch == rootWatch { reportRootGone("its watch was removed") }
            return
        }
        if record.watch == rootWatch && (has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_UNMOUNT)) {
            reportRootGone(has(IN_UNMOUNT) ? "its file system was unmounted" : "it was deleted or renamed")
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
                if let error = addWatches(at: path, announce: true, depth: depth) { emit(.failed(error)) }
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

    /// `lstat` of a path relative to the root; nil when it is already gone again (its removal
    /// event follows).
    private func observe(_ path: String) -> SpoolFile? {
        guard case .success(let status) = SpoolDirectory.status(ofPath: fullPath(path)) else { return nil }
        return SpoolFile(path: path, status: status)
    }

    private func reportRootGone(_ cause: String) {
        guard !rootGoneReported else { return }
        rootGoneReported = true
        emit(
            .failed(
                SpoolError(
                    .rootGone, path: root, cause: cause,
                    hint: "recreate it; trailhound must be restarted (or reloaded) to watch it again")))
    }

    // MARK: - Watches

    private func fullPath(_ path: String) -> String { path.isEmpty ? root : root + "/" + path }

    /// Watches the directory at `path` and, recursively, every directory below it. The watch is
    /// added before the directory is listed, so a subdirectory created meanwhile is either listed
    /// or reported by the new watch; `announce` reports each directory as `.directoryAdded`
    /// (after its watch exists) so the driver's scan catches files that landed before it.
    /// Returns the error for `path` itself when it is the root or cannot be watched.
    private func addWatches(at path: String, announce: Bool, depth: Int) -> SpoolError? {
        let watch = inotify_add_watch(inotify, fullPath(path), Self.mask)
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
        directories[watch] = path
        if path.isEmpty { rootWatch = watch }
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
            if let error = addWatches(at: child, announce: announce, depth: depth + 1) { emit(.failed(error)) }
        }
        return nil
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

    /// Yields an event; when the consumer is too far behind, drops it and owes an `.overflow`
    /// instead, exactly as the kernel does with IN_Q_OVERFLOW, so the driver rescans.
    private func emit(_ event: InotifyWatcher.Event) {
        if overflowPending {
            deliverOverflow()
            if overflowPending { return }
        }
        if case .dropped = continuation.yield(event) { overflowPending = true }
    }

    private func deliverOverflow() {
        if case .enqueued = continuation.yield(.overflow) { overflowPending = false }
    }
}
