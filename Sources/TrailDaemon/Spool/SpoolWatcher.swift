/// The spool's file lifecycle as a state machine: which files are complete, in what order to
/// process them, and when to look at the disk again.
///
/// It does no I/O and reads no clock. A thin driver feeds it inotify events and scan results,
/// performs the actions it returns (`.scan`, `.stat`), calls `tick(now:)` at `nextDeadline`, takes
/// files with `nextReady(now:)` and reports each with `finished(_:_:now:)`. Time is a `Duration`
/// from any monotonic origin (e.g. `ContinuousClock.now - start`), so tests drive it by hand.
///
/// A file is processed when it is complete, and CloudTrail writers do not announce that, so:
///
/// - `.closed` (IN_CLOSE_WRITE, IN_MOVED_TO) means the writer is done: ready at once.
/// - A file seen by a scan or by `.changed` (IN_CREATE, IN_MODIFY) is *settling*: it becomes
///   ready when its size and mtime have stayed the same for `settle`. When that time is up the
///   watcher asks the driver to `.stat` it; the answer (`.changed` or `.removed`) decides.
/// - Full scans run at `start`, every `rescanInterval`, after `.overflow` and after
///   `.directoryAdded`: inotify can lose events and a new directory can fill before its watch
///   exists, and a scan finds what events missed. Scans are coalesced: a request while one is
///   running becomes one more scan when it completes.
///
/// Ready files come out oldest CloudTrail delivery time first (then mtime, then path). There is
/// deliberately no "last name seen" watermark: a late file with an old name is still processed.
/// A file in hand is not proposed again until `finished`. Finished files are remembered with
/// their size, mtime and ctime so rescans do not propose them again; a finished file seen with a
/// different size, mtime or ctime is proposed again (the ledger's content hash decides whether it
/// is new). Remembered entries are dropped when their file is removed, when a full scan no longer
/// lists them, or by `forget(path:)`, so memory follows what is on disk.
package struct SpoolWatcher: Sendable {
    /// The timings the watcher works to; the configuration layer owns their defaults.
    package struct Configuration: Sendable, Hashable {
        /// How long size and mtime must stay unchanged before a file not known to be closed is
        /// taken to be complete.
        package var settle: Duration
        /// How often to rescan the whole spool as a safety net for lost events.
        package var rescanInterval: Duration
        /// How long to wait before retrying a file whose processing ended in `.retry` (a file
        /// that changes and settles again is retried sooner), and before retrying a failed scan.
        package var retryDelay: Duration
        /// The longest wait between attempts at a `.blocked` file: its waits double from
        /// `retryDelay` up to this.
        package var maxRetryDelay: Duration

        /// Creates a configuration.
        package init(
            settle: Duration, rescanInterval: Duration, retryDelay: Duration, maxRetryDelay: Duration = .seconds(300)
        ) {
            self.settle = settle
            self.rescanInterval = rescanInterval
            self.retryDelay = retryDelay
            self.maxRetryDelay = max(retryDelay, maxRetryDelay)
        }
    }

    /// Something the driver observed.
    package enum Event: Sendable, Hashable {
        /// A full scan finished; its files are every taken file present now.
        case scanned(SpoolScan)
        /// A requested scan could not run (the root is unreadable); the next try is after
        /// `retryDelay`.
        case scanFailed
        /// IN_CLOSE_WRITE or IN_MOVED_TO: the writer is done, the file is ready at once.
        case closed(SpoolFile)
        /// IN_CREATE or IN_MODIFY, or the answer to `.stat`: the file may still be growing.
        case changed(SpoolFile)
        /// IN_DELETE or IN_MOVED_FROM, or a `.stat` that found nothing.
        case removed(path: String)
        /// A new directory (e.g. the next day's `YYYY/MM/DD`) is now watched; files may have landed
        /// in it before the watch existed, so it triggers a scan.
        case directoryAdded(path: String)
        /// A directory was deleted or moved away; everything below it is forgotten.
        case directoryRemoved(path: String)
        /// IN_Q_OVERFLOW, or the driver's own event buffer overflowed: events were lost.
        case overflow
    }

    /// I/O the driver must do and report back.
    package enum Action: Sendable, Hashable {
        /// Run `SpoolScanner.scan` and answer with `.scanned` (or `.scanFailed`).
        case scan
        /// `lstat` these paths and answer each with `.changed` (same or new size) or `.removed`.
        case stat([String])
    }

    /// How processing a file ended.
    package enum Outcome: String, Sendable, Hashable {
        /// Read and committed.
        case done
        /// Still being written (truncated gzip, incomplete JSON): try again once it has changed
        /// and settled again, or after `retryDelay`.
        case retry
        /// Moved aside or marked bad with a reason; not proposed again unless it changes.
        case quarantined
        /// It could not be read for a reason of the environment (descriptors, permissions, I/O):
        /// retried after `retryDelay`, doubling at each failure up to `maxRetryDelay`, or as soon
        /// as it changes and settles (a `chmod` changes its ctime).
        case blocked
        /// Deliberately not processed (e.g. the ledger already has this content).
        case skipped
    }

    /// Where one path is in the lifecycle, for metrics, status pages and tests.
    package enum State: Sendable, Hashable {
        /// Waiting for size and mtime to stay unchanged for `settle` (or for `retryDelay`).
        case settling
        /// Complete and waiting in the backlog.
        case ready
        /// Handed out by `nextReady` at `since`, not yet finished.
        case inHand(since: Duration)
        /// Finished with `outcome`; remembered so rescans do not propose it again.
        case finished(Outcome)
    }

    /// The timings this watcher was created with.
    package let configuration: Configuration

    private var entries: [String: Entry] = [:]
    private var readyQueue = SpoolHeap<ReadyItem>()
    private var deadlines = SpoolHeap<DeadlineItem>()
    private var nextGeneration: UInt64 = 0
    private var settlingCount = 0
    private var readyCount = 0
    private var inHandCount = 0

    private var scanRunning = false
    private var scanAgain = false
    /// When the running (or last) scan was requested. Entries observed by events at or after it
    /// are kept even if the scan does not list them: the file may have arrived after the walk
    /// passed its directory.
    private var scanRequestedAt: Duration?
    private var nextScanAt: Duration?

    /// Creates an idle watcher; call `start(now:)` to get its first scan.
    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    // MARK: - Driving

    /// Begins watching: requests the initial full scan.
    package mutating func start(now: Duration) -> [Action] {
        requestScan(now: now)
    }

    /// Feeds one observation in; returns the I/O it calls for.
    package mutating func handle(_ event: Event, now: Duration) -> [Action] {
        var actions: [Action] = []
        switch event {
        case .scanned(let scan):
            actions = applyScan(scan, now: now)
        case .scanFailed:
            scanRunning = false
            scanAgain = false
            nextScanAt = now + configuration.retryDelay
        case .closed(let file):
            observe(file, closed: true, now: now)
        case .changed(let file):
            observe(file, closed: false, now: now)
        case .removed(let path):
            remove(path)
        case .directoryRemoved(let path):
            let prefix = path.isEmpty ? "" : path + "/"
            for key in entries.keys where key.hasPrefix(prefix) { remove(key) }
        case .directoryAdded, .overflow:
            actions = requestScan(now: now)
        }
        prune()
        return actions
    }

    /// Does what is due at `now`: the periodic rescan, and a `.stat` of every settling file
    /// whose settle time is up. Call it at `nextDeadline` (calling it early is harmless).
    package mutating func tick(now: Duration) -> [Action] {
        var actions: [Action] = []
        if !scanRunning, let due = nextScanAt, now >= due { actions += requestScan(now: now) }
        var paths: [String] = []
        while let item = deadlines.top, item.due <= now {
            deadlines.pop()
            guard var entry = entries[item.path], entry.generation == item.generation,
                case .settling(let since, let notBefore, false) = entry.phase
            else { continue }
            entry.phase = .settling(stableSince: since, notBefore: notBefore, statRequested: true)
            store(entry, at: item.path)
            paths.append(item.path)
        }
        if !paths.isEmpty { actions.append(.stat(paths.sorted())) }
        prune()
        return actions
    }

    /// The next file to process, oldest delivery time first; it is in hand until `finished`.
    package mutating func nextReady(now: Duration) -> SpoolFile? {
        while let item = readyQueue.pop() {
            guard isLive(item), var entry = entries[item.order.path] else { continue }
            entry.phase = .inHand(since: now, pending: nil, removed: false)
            store(entry, at: item.order.path)
            prune()
            return entry.file
        }
        return nil
    }

    /// Reports how processing the file at `path` (handed out by `nextReady`) ended.
    ///
    /// Observations that arrived while it was in hand are applied now: a file closed again is
    /// ready at once, a file changed again settles again, a file removed is forgotten.
    package mutating func finished(_ path: String, _ outcome: Outcome, now: Duration) {
        guard var entry = entries[path], case .inHand(_, let pending, let removed) = entry.phase else { return }
        defer { prune() }
        if removed {
            store(nil, at: path)
            return
        }
        let again = outcome == .retry || outcome == .blocked
        entry.failures = outcome == .blocked ? entry.failures + 1 : 0
        switch (outcome, pending) {
        case (_, .some(.closed(let file))) where again || !file.isUnchanged(from: entry.file):
            entry.file = file
            entry.phase = .ready
        case (_, .some(.changed(let file, let at))) where again || !file.isUnchanged(from: entry.file):
            entry.file = file
            entry.phase = .settling(stableSince: at, notBefore: at, statRequested: false)
        case (.retry, _):
            entry.phase = .settling(
                stableSince: now, notBefore: now + configuration.retryDelay, statRequested: false)
        case (.blocked, _):
            entry.phase = .settling(
                stableSince: now, notBefore: now + backoff(failures: entry.failures), statRequested: false)
        default:
            entry.phase = .finished(outcome)
        }
        store(entry, at: path)
    }

    /// The wait after the `failures`th failed attempt in a row at a blocked file.
    private func backoff(failures: Int) -> Duration {
        var delay = configuration.retryDelay
        for _ in 1..<max(1, failures) where delay < configuration.maxRetryDelay { delay *= 2 }
        return min(delay, configuration.maxRetryDelay)
    }

    /// Forgets what is known about `path` unless it is in hand: for a caller that deleted or
    /// archived a finished file itself, or prunes its memory some other way.
    package mutating func forget(path: String) {
        guard let entry = entries[path] else { return }
        if case .inHand = entry.phase { return }
        store(nil, at: path)
        prune()
    }

    // MARK: - Reading

    /// When `tick(now:)` should next be called: the next periodic scan (unless one is running) or
    /// the earliest settle deadline; nil when nothing is scheduled.
    package var nextDeadline: Duration? {
        let scan = scanRunning ? nil : nextScanAt
        switch (scan, deadlines.top?.due) {
        case (let scan?, let settle?): return min(scan, settle)
        case (let scan?, nil): return scan
        case (nil, let settle): return settle
        }
    }

    /// Files waiting: ready, or settling (including files waiting to be retried).
    package var backlog: Int { settlingCount + readyCount }

    /// Files ready to be handed out now.
    package var readyBacklog: Int { readyCount }

    /// Files handed out and not yet finished.
    package var inHand: Int { inHandCount }

    /// Finished files remembered so rescans do not propose them again.
    package var remembered: Int { entries.count - settlingCount - readyCount - inHandCount }

    /// Where `path` is in the lifecycle, or nil if the watcher knows nothing of it.
    package func state(of path: String) -> State? {
        guard let entry = entries[path] else { return nil }
        return switch entry.phase {
        case .settling: .settling
        case .ready: .ready
        case .inHand(let since, _, _): .inHand(since: since)
        case .finished(let outcome): .finished(outcome)
        }
    }

    /// Whether `path` could not be read at its last attempt and is waiting out its backoff at
    /// `now`: a rescan must not hand it out early, or the backoff would be the rescan interval.
    package func isBackingOff(_ path: String, now: Duration) -> Bool {
        guard let entry = entries[path], entry.failures > 0,
            case .settling(_, let notBefore, _) = entry.phase
        else { return false }
        return notBefore > now
    }

    // MARK: - Transitions

    private mutating func requestScan(now: Duration) -> [Action] {
        if scanRunning {
            scanAgain = true
            return []
        }
        scanRunning = true
        scanRequestedAt = now
        nextScanAt = now + configuration.rescanInterval
        return [.scan]
    }

    private mutating func applyScan(_ scan: SpoolScan, now: Duration) -> [Action] {
        let cutoff = scanRequestedAt ?? now
        scanRunning = false
        var listed = Set<String>()
        listed.reserveCapacity(scan.files.count)
        for file in scan.files {
            listed.insert(file.path)
            observe(file, closed: false, now: now, byScan: true)
        }
        var gone: [String] = []
        for (path, entry) in entries where !listed.contains(path) {
            if case .inHand = entry.phase { continue }
            if entry.observedAt >= cutoff { continue }
            gone.append(path)
        }
        for path in gone { store(nil, at: path) }
        if scanAgain {
            scanAgain = false
            return requestScan(now: now)
        }
        return []
    }

    /// Applies one observation of a file: from `.closed` (`closed`), `.changed`, or a scan.
    private mutating func observe(_ file: SpoolFile, closed: Bool, now: Duration, byScan: Bool = false) {
        let path = file.path
        guard var entry = entries[path] else {
            let phase: Phase = closed ? .ready : .settling(stableSince: now, notBefore: now, statRequested: false)
            store(Entry(file: file, phase: phase, generation: 0, observedAt: now), at: path)
            return
        }
        // A scan's walk may predate the events already applied, so it does not count as a fresh
        // sighting for the "keep what events saw after the scan began" rule.
        if !byScan { entry.observedAt = now }
        let unchanged = file.isUnchanged(from: entry.file)
        switch entry.phase {
        case .settling(let since, let notBefore, _):
            if closed {
                entry.file = file
                entry.phase = .ready
            } else if !unchanged {
                entry.file = file
                entry.phase = .settling(stableSince: now, notBefore: now, statRequested: false)
            } else if now >= max(since + configuration.settle, notBefore) {
                entry.phase = .ready
            } else {
                entries[path] = entry
                return
            }
        case .ready:
            if unchanged {
                entries[path] = entry
                return
            }
            entry.file = file
            // A closed file that changed is still complete (its order may move); any other
            // change means someone is writing it again.
            if !closed { entry.phase = .settling(stableSince: now, notBefore: now, statRequested: false) }
        case .inHand(let since, let pending, _):
            // The processor has the file; remember the newest sighting and apply it at `finished`.
            if closed {
                entry.phase = .inHand(since: since, pending: .closed(file), removed: false)
            } else if !file.isUnchanged(from: pending?.file ?? entry.file) {
                entry.phase = .inHand(since: since, pending: .changed(file, at: now), removed: false)
            }
            entries[path] = entry
            return
        case .finished:
            if unchanged {
                entries[path] = entry
                return
            }
            entry.file = file
            entry.phase = closed ? .ready : .settling(stableSince: now, notBefore: now, statRequested: false)
        }
        store(entry, at: path)
    }

    private mutating func remove(_ path: String) {
        guard var entry = entries[path] else { return }
        if case .inHand(let since, _, _) = entry.phase {
            entry.phase = .inHand(since: since, pending: nil, removed: true)
            entries[path] = entry
        } else {
            store(nil, at: path)
        }
    }

    /// The one place entries change phase: keeps the counters and the two queues in step.
    private mutating func store(_ newEntry: Entry?, at path: String) {
        if let old = entries[path] { count(old.phase, by: -1) }
        guard var entry = newEntry else {
            entries[path] = nil
            return
        }
        nextGeneration += 1
        entry.generation = nextGeneration
        count(entry.phase, by: 1)
        entries[path] = entry
        switch entry.phase {
        case .ready:
            readyQueue.push(ReadyItem(order: Order(entry.file), generation: entry.generation))
        case .settling(let since, let notBefore, false):
            let due = max(since + configuration.settle, notBefore)
            deadlines.push(DeadlineItem(due: due, path: path, generation: entry.generation))
        default:
            break
        }
    }

    private mutating func count(_ phase: Phase, by delta: Int) {
        switch phase {
        case .settling: settlingCount += delta
        case .ready: readyCount += delta
        case .inHand: inHandCount += delta
        case .finished: break
        }
    }

    /// Drops superseded queue elements from the tops, so `nextDeadline` and `nextReady` see live
    /// ones, and sheds them in bulk when they outnumber live entries (a file rewritten in many
    /// small writes pushes one deadline per write).
    private mutating func prune() {
        while let top = readyQueue.top, !isLive(top) { readyQueue.pop() }
        while let top = deadlines.top, !isLive(top) { deadlines.pop() }
        let limit = 2 * entries.count + 1024
        if readyQueue.count > limit { readyQueue.rebuild(keeping: isLive) }
        if deadlines.count > limit { deadlines.rebuild(keeping: isLive) }
    }

    private func isLive(_ item: ReadyItem) -> Bool {
        guard let entry = entries[item.order.path], entry.generation == item.generation else { return false }
        if case .ready = entry.phase { return true }
        return false
    }

    private func isLive(_ item: DeadlineItem) -> Bool {
        guard let entry = entries[item.path], entry.generation == item.generation else { return false }
        if case .settling(_, _, false) = entry.phase { return true }
        return false
    }
}

extension SpoolWatcher {
    /// What the watcher knows about one path.
    fileprivate struct Entry: Sendable {
        /// The latest sighting while pending; the file handed out while in hand or finished.
        var file: SpoolFile
        var phase: Phase
        /// Bumped on every phase change; queue elements from older generations are stale.
        var generation: UInt64
        /// The last time an event (not a scan) reported the file.
        var observedAt: Duration
        /// Attempts in a row that ended `.blocked`: the retry wait doubles with each.
        var failures = 0
    }

    fileprivate enum Phase: Sendable {
        /// Not ready before `max(stableSince + settle, notBefore)`, and then only once a fresh
        /// observation shows the same size and mtime. `statRequested` is set while the driver is
        /// asked to look.
        case settling(stableSince: Duration, notBefore: Duration, statRequested: Bool)
        case ready
        /// `pending` is the newest sighting since it was handed out; `removed` that it is gone.
        case inHand(since: Duration, pending: Sighting?, removed: Bool)
        case finished(Outcome)
    }

    fileprivate enum Sighting: Sendable {
        case closed(SpoolFile)
        case changed(SpoolFile, at: Duration)

        var file: SpoolFile {
            switch self {
            case .closed(let file), .changed(let file, _): file
            }
        }
    }

    /// Backlog order: CloudTrail delivery time in the name, then mtime, then path. Files without a
    /// CloudTrail name (taken by a custom glob) use their mtime as their delivery time.
    fileprivate struct Order: Comparable, Sendable {
        var deliveryTime: Int64
        var modified: Int64
        var path: String

        init(_ file: SpoolFile) {
            deliveryTime = file.name?.deliveryTime ?? file.modified / 1_000_000_000
            modified = file.modified
            path = file.path
        }

        static func < (lhs: Order, rhs: Order) -> Bool {
            (lhs.deliveryTime, lhs.modified, lhs.path) < (rhs.deliveryTime, rhs.modified, rhs.path)
        }
    }

    fileprivate struct ReadyItem: Comparable, Sendable {
        var order: Order
        var generation: UInt64

        static func < (lhs: ReadyItem, rhs: ReadyItem) -> Bool {
            lhs.order < rhs.order || (lhs.order == rhs.order && lhs.generation < rhs.generation)
        }
    }

    fileprivate struct DeadlineItem: Comparable, Sendable {
        var due: Duration
        var path: String
        var generation: UInt64

        static func < (lhs: DeadlineItem, rhs: DeadlineItem) -> Bool {
            (lhs.due, lhs.path, lhs.generation) < (rhs.due, rhs.path, rhs.generation)
        }
    }
}
