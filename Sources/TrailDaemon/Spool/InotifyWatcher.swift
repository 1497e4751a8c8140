import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Linux inotify on the whole spool tree, delivered as an `AsyncStream` of events for
/// `SpoolWatcher`.
///
/// Every directory under the root gets a watch (`IN_DONT_FOLLOW | IN_ONLYDIR`, so symbolic links
/// are never followed; only the root itself may be one, as for scans); new directories, including
/// whole trees moved in, are watched as they appear and reported as `.directoryAdded` once their
/// watch exists, so the driver's scan finds files that landed before it. Paths are relative to
/// the root; file events carry an `lstat` observation. `.closed` and `.changed` are only reported
/// for paths the filter takes (so a temporary download name is never proposed), `.removed` for
/// any path.
///
/// A root that goes away (deleted, moved, unmounted, replaced) is reported once as
/// `.failed(.rootGone)`; the watcher then waits for it on the root's parent directory and, when it
/// is back, watches the whole tree again and reports `.rootReturned`. The driver calls
/// `refresh(directories:)` at every rescan so that whatever a lost event left unwatched (the root,
/// its parent, a subdirectory) is watched again by the next rescan at the latest.
///
/// A dedicated thread polls the inotify descriptor and a wake pipe. `stop()` writes to the pipe,
/// joins the thread (it has exited when `stop` returns), closes the descriptors and finishes the
/// stream; `deinit` stops too. If the consumer falls more than `bufferLimit` events behind, events
/// are dropped and an `.overflow` is delivered in their place, like the kernel's own
/// IN_Q_OVERFLOW: the driver's rescan recovers what was dropped.
package final class InotifyWatcher: Sendable {
    /// What happened under the root.
    package enum Event: Sendable, Hashable {
        /// IN_CLOSE_WRITE or IN_MOVED_TO on a file: the writer is done with it.
        case closed(SpoolFile)
        /// IN_CREATE, IN_MODIFY or IN_ATTRIB on a file: it may still be being written, or its
        /// mode changed (a file that could not be read may be readable now).
        case changed(SpoolFile)
        /// IN_DELETE or IN_MOVED_FROM on a file.
        case removed(path: String)
        /// A directory was created or moved in, and is now watched (with everything below it).
        case directoryAdded(path: String)
        /// A directory was deleted or moved away; its watches are gone.
        case directoryRemoved(path: String)
        /// Events were lost (IN_Q_OVERFLOW, or the stream's buffer was full): rescan.
        case overflow
        /// A directory could not be watched, or the root went away (`.rootGone`, reported once,
        /// and again only if the reason changes, say it came back as a file): log it; rescans
        /// still cover what they can.
        case failed(SpoolError)
        /// The root, gone since a `.failed(.rootGone)`, is a directory again and watched with
        /// everything below it: scan it all, for the files that landed while it was not watched.
        case rootReturned

        /// The event for `SpoolWatcher`, or nil for `.failed`, which is for the log.
        package var watcherEvent: SpoolWatcher.Event? {
            switch self {
            case .closed(let file): .closed(file)
            case .changed(let file): .changed(file)
            case .removed(let path): .removed(path: path)
            case .directoryAdded(let path): .directoryAdded(path: path)
            case .directoryRemoved(let path): .directoryRemoved(path: path)
            case .overflow: .overflow
            case .rootReturned: .directoryAdded(path: "")
            case .failed: nil
            }
        }
    }

    /// The root as given; event paths are relative to it.
    package let root: String
    /// The events, in the order the kernel reported them. Iterate it from one task.
    package let events: AsyncStream<Event>

    private let continuation: AsyncStream<Event>.Continuation
    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// What `stop` and `refresh` ask of the thread, shared with its loop.
    private let requests: NIOLockedValueBox<InotifyLoop.Requests>
    /// The running thread; nil once stopped. The lock is held through the join so a second
    /// `stop()` also returns only after the thread has exited.
    private let thread: NIOLockedValueBox<pthread_t?>

    /// Watches `root` and every directory below it that `filter` walks (hidden directories are
    /// not watched), then starts the event thread. File events are reported for the paths
    /// `filter` takes.
    ///
    /// - Parameter bufferLimit: events held for a slow consumer before they are dropped in favour
    ///   of one `.overflow`.
    /// - Throws: `.inotifyUnavailable` when no inotify instance can be created (the per-user
    ///   limit), `.unreadableRoot` when the root cannot be watched.
    package init(root: String, filter: SpoolFilter = SpoolFilter(), bufferLimit: Int = 4096) throws(SpoolError) {
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else {
            let code = errno
            throw SpoolError(
                .inotifyUnavailable, path: root, cause: SpoolErrno(code).description,
                hint: code == EMFILE ? "raise fs.inotify.max_user_instances (sysctl)" : nil)
        }
        // Glibc's module map has neither eventfd nor pipe2, so set the flags right after pipe().
        // No other thread of ours forks in between, so the brief window without O_CLOEXEC is moot.
        var pipeDescriptors: [Int32] = [-1, -1]
        guard pipe(&pipeDescriptors) == 0 else {
            let cause = SpoolErrno(errno).description
            close(inotify)
            throw SpoolError(.inotifyUnavailable, path: root, cause: "cannot create the wake pipe: " + cause)
        }
        for descriptor in pipeDescriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        func closeAll() {
            close(inotify)
            close(pipeDescriptors[0])
            close(pipeDescriptors[1])
        }

        let (events, continuation) = AsyncStream.makeStream(
            of: Event.self, bufferingPolicy: .bufferingOldest(max(1, bufferLimit)))
        let requests = NIOLockedValueBox(InotifyLoop.Requests())
        let loop = InotifyLoop(
            root: root, filter: filter, inotify: inotify, wake: pipeDescriptors[0], continuation: continuation,
            requests: requests)
        do {
            try loop.watchTree()
        } catch {
            closeAll()
            continuation.finish()
            throw error
        }

        var thread = pthread_t()
        let context = Unmanaged.passRetained(loop).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                // The thread owns the loop from here on; it is released when `run` returns.
                let loop = Unmanaged<InotifyLoop>.fromOpaque(context!).takeRetainedValue()
                loop.run()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<InotifyLoop>.fromOpaque(context).release()
            closeAll()
            continuation.finish()
            throw SpoolError(
                .inotifyUnavailable, path: root,
                cause: "cannot start the watcher thread: " + SpoolErrno(created).description
            )
        }

        self.root = root
        self.events = events
        self.continuation = continuation
        self.inotify = inotify
        self.wakeRead = pipeDescriptors[0]
        self.wakeWrite = pipeDescriptors[1]
        self.requests = requests
        self.thread = NIOLockedValueBox(thread)
    }

    deinit {
        stop()
    }

    /// Asks the thread to check its watches against the disk and re-arm what is missing: the root
    /// (gone, or its path now leading to another directory) and, when `directories` (a scan's
    /// listing, relative to the root) is given, every listed directory without a watch, which is
    /// then announced with `.directoryAdded`. Pass nil when the scan failed. Returns at once; the
    /// check runs on the watcher's thread, and a request not yet taken up is replaced.
    package func refresh(directories: [String]?) {
        thread.withLockedValue { thread in
            // Once stopped, the pipe is closed and its descriptor number may belong to another file.
            guard thread != nil else { return }
            requests.withLockedValue {
                $0.refresh = true
                $0.directories = directories
            }
            var one: UInt8 = 1
            // Non-blocking: a full pipe means the thread has a wake-up pending anyway.
            _ = write(wakeWrite, &one, 1)
        }
    }

    /// Stops watching: wakes the thread, waits until it has exited, closes the descriptors and
    /// finishes `events`. Safe to call more than once and from any thread.
    package func stop() {
        thread.withLockedValue { thread in
            guard let running = thread else { return }
            thread = nil
            requests.withLockedValue { $0.stop = true }
            var one: UInt8 = 1
            // A full pipe (refreshes not yet read) already wakes the thread; the write never blocks.
            _ = write(wakeWrite, &one, 1)
            pthread_join(running, nil)
            close(inotify)
            close(wakeRead)
            close(wakeWrite)
            continuation.finish()
        }
    }
}
