import Foundation
package import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
package import TrailReader

/// The spool as the daemon's source of work: feeds the `SpoolWatcher` state machine from
/// inotify and scans, and hands each ready file in its order, one at a time, through the
/// `FileProcessor` (the spool's own step: safe opening, identity, the processed and quarantine
/// actions) to the intake every source shares.
///
/// At every scan it asks the inotify watcher to re-arm what the scan shows unwatched, so a watch
/// lost with an event heals by the next rescan. When the spool directory goes away it says so
/// once (`SpoolRootWatch`) and reports the daemon blind (`DaemonEvents.spoolGone`) until the
/// watcher has it again; the full scan that follows picks up what landed meanwhile.
///
/// On graceful shutdown it stops taking files; the file in hand is finished first, since
/// processing runs to its commit before the loop looks at the shutdown flag again.
package struct SpoolSource: UnitSource {
    let spool: DaemonConfiguration.Spool
    let filter: SpoolFilter
    /// How the spool's step opens, settles and disposes of files.
    let options: FileProcessor.Options
    let ledger: Ledger
    let retention: Duration
    let events: DaemonEvents
    let logger: Logger
    /// Called once the first scan has been taken in (the daemon then says READY=1).
    let onReady: @Sendable () -> Void
    /// The delivery-gap check, run every minute when enabled.
    let checkDeliveryGaps: (@Sendable () -> Void)?
    /// Directories the last scan could not list, with the error (only the spool loop touches it).
    private let unlistable = NIOLockedValueBox<[String: String]>([:])
    /// Scan problems already logged, so a rescan does not repeat them (bounded by what the spool
    /// holds; cleared when it grows past a few thousand).
    private let logged = NIOLockedValueBox<Set<String>>([])

    package init(
        spool: DaemonConfiguration.Spool, filter: SpoolFilter, options: FileProcessor.Options, ledger: Ledger,
        retention: Duration, events: DaemonEvents, logger: Logger, onReady: @escaping @Sendable () -> Void = {},
        checkDeliveryGaps: (@Sendable () -> Void)? = nil
    ) {
        self.checkDeliveryGaps = checkDeliveryGaps
        self.spool = spool
        self.filter = filter
        self.options = options
        self.ledger = ledger
        self.retention = retention
        self.events = events
        self.logger = logger
        self.onReady = onReady
    }

    /// A committed file, where it is or where `processed: move` put it.
    package func reopen(_ path: String, limits: ReaderLimits) -> InputFile? {
        SpoolArchive(spool: spool.directory, processed: options.processed).reopen(path, limits: limits)
    }

    package func run(intake: any UnitIntake) async throws {
        let processor = FileProcessor(options: options, ledger: ledger, intake: intake, events: events, logger: logger)
        let inotify = try InotifyWatcher(root: spool.directory, filter: filter)
        let queue = NIOLockedValueBox<[InotifyWatcher.Event]>([])
        let bell = Doorbell()
        let stopping = NIOLockedValueBox(false)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in inotify.events {
                        queue.withLockedValue { $0.append(event) }
                        bell.ring()
                    }
                }
                await loop(processor, inotify: inotify, queue: queue, bell: bell, stopping: stopping)
                inotify.stop()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
            bell.ring()
        }
    }

    private func loop(
        _ processor: FileProcessor, inotify: InotifyWatcher, queue: NIOLockedValueBox<[InotifyWatcher.Event]>,
        bell: Doorbell,
        stopping: NIOLockedValueBox<Bool>
    ) async {
        let clock = ContinuousClock()
        let origin = clock.now
        func now() -> Duration { clock.now - origin }
        // Directories the last run could not list: the first scan says whether they still
        // cannot be, and clears them from the ledger (and `status`) when they can.
        let known = ((try? ledger.problems()) ?? []).filter { $0.kind == .directory }
        unlistable.withLockedValue {
            $0 = Dictionary(known.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
        }
        for problem in known { events.readFailed(path: problem.path, reason: problem.reason) }
        var watcher = SpoolWatcher(
            configuration: .init(
                settle: spool.settle, rescanInterval: spool.rescanInterval, retryDelay: spool.settle,
                maxRetryDelay: spool.maxRetryDelay))
        var actions = watcher.start(now: now())
        var root = SpoolRootWatch()
        var ready = false
        var nextCollection = now()
        var nextGapCheck = now()
        var nextRequeueCheck = now()
        var processedSinceGapCheck = false
        while !stopping.withLockedValue({ $0 }) {
            while !actions.isEmpty {
                let action = actions.removeFirst()
                actions += perform(action, on: &watcher, processor, root: root, inotify: inotify, now: now())
            }
            if !ready {
                ready = true
                onReady()
            }
            for event in queue.withLockedValue({ events in
                defer { events.removeAll() }; return events
            }) {
                switch event {
                case .failed(let error) where error.kind == .rootGone:
                    if let action = root.lost(error, now: now()) { act(action) }
                    continue
                case .failed(let error):
                    logger.warning("Spool watch problem.", metadata: ["th.error": "\(error)"])
                    continue
                case .rootReturned:
                    if let action = root.returned(now: now()) { act(action) }
                case .removed(let path), .directoryRemoved(let path):
                    processor.forgetUnreadable(removed: [path])
                default:
                    break
                }
                if let event = event.watcherEvent { actions += watcher.handle(event, now: now()) }
            }
            actions += watcher.tick(now: now())
            // Before the next file, so a released file is taken up within a second even behind a
            // backlog (it then comes out in delivery-time order like the rest).
            if now() >= nextRequeueCheck {
                actions += takeRequeued(into: &watcher, now: now())
                nextRequeueCheck = now() + .seconds(1)
            }
            if !actions.isEmpty { continue }
            if let file = watcher.nextReady(now: now()) {
                let outcome: SpoolWatcher.Outcome
                switch processor.process(file.path) {
                case .done, .vanished: outcome = .done
                case .alreadyDone, .refused: outcome = .skipped
                case .retry: outcome = .retry
                case .quarantined: outcome = .quarantined
                case .blocked: outcome = .blocked
                }
                watcher.finished(file.path, outcome, now: now())
                processedSinceGapCheck = true
                events.spoolProgressed(backlog: watcher.backlog)
                await Task.yield()
                continue
            }
            events.spoolProgressed(backlog: watcher.backlog)
            // Every minute, and as soon as a backlog drains, so a resumed stream is noticed at once.
            if let checkDeliveryGaps, now() >= nextGapCheck || processedSinceGapCheck {
                processedSinceGapCheck = false
                checkDeliveryGaps()
                nextGapCheck = now() + .seconds(60)
            }
            if now() >= nextCollection {
                collectGarbage()
                nextCollection = now() + .seconds(3600)
            }
            var timeout = Duration.seconds(1)
            if let deadline = watcher.nextDeadline { timeout = max(.zero, min(timeout, deadline - now())) }
            await bell.wait(timeout: timeout)
        }
        logger.info("Spool watcher stopped.", metadata: ["th.backlog": "\(watcher.backlog)"])
    }

    /// Says what `SpoolRootWatch` decided about the spool directory going or coming back: in the
    /// log, once, and to `/healthz`, `STATUS=` and the watchdog through `events`.
    private func act(_ action: SpoolRootWatch.Action) {
        switch action {
        case .wentAway(let error):
            logger.error(
                "The spool directory is gone; no new file is seen until it is back.",
                metadata: ["th.spool": "\(spool.directory)", "th.error": "\(error)"])
            events.spoolGone(error)
        case .stillGone(let error):
            logger.warning(
                "The spool directory is still not watched.",
                metadata: ["th.spool": "\(spool.directory)", "th.error": "\(error)"])
            events.spoolGone(error)
        case .returned(let after):
            logger.info(
                "Spool watch re-established; scanning the whole spool for files that landed meanwhile.",
                metadata: ["th.spool": "\(spool.directory)", "th.gone_for": "\(after.components.seconds)s"])
            events.spoolReturned()
        }
    }

    private func perform(
        _ action: SpoolWatcher.Action, on watcher: inout SpoolWatcher, _ processor: FileProcessor, root: SpoolRootWatch,
        inotify: InotifyWatcher,
        now: Duration
    ) -> [SpoolWatcher.Action] {
        switch action {
        case .scan:
            do {
                let scan = try SpoolScanner.scan(root: spool.directory, filter: filter)
                // Every directory the scan walked should have a watch; one that lost it (or the
                // root's own, to a replaced root) is re-armed, and announced for another scan.
                inotify.refresh(directories: scan.directories)
                noteUnlistable(scan.problems)
                if !scan.problems.contains(where: { $0.kind == .unreadableDirectory }) {
                    processor.forgetUnreadable(keeping: Set(scan.files.map(\.path)))
                }
                var actions = watcher.handle(.scanned(scan), now: now)
                // The watcher reads no clock, so it would wait a settle period for every file a
                // scan finds; a file whose mtime is already older than that is complete now.
                let settled = DaemonClock.wallMilliseconds() * 1_000_000 - spool.settle.nanoseconds
                for file in scan.files where file.isRegular && file.modified < settled {
                    guard watcher.state(of: file.path) == .settling, !watcher.isBackingOff(file.path, now: now) else {
                        continue
                    }
                    actions += watcher.handle(.closed(file), now: now)
                }
                return actions
            } catch {
                // The root may be gone: the watcher looks for it (or notices it went, if the scan
                // got here before its report did) and says so, once.
                inotify.refresh(directories: nil)
                switch root.scanFailed(rootIsDirectory: Self.isDirectory(spool.directory)) {
                case .error:
                    logger.error("Cannot scan the spool.", metadata: ["th.error": "\(error)"])
                    noteUnlistable([error])
                case .expected:
                    logger.debug("Cannot scan the spool; its directory is gone.", metadata: ["th.error": "\(error)"])
                }
                return watcher.handle(.scanFailed, now: now)
            }
        case .stat(let paths):
            var actions: [SpoolWatcher.Action] = []
            for path in paths {
                // Looked up without following links, as the processor will open it: a path that
                // now leads through a symbolic link is no longer a spool file.
                if case .success(let location) = SpoolLocation.open(root: spool.directory, path: path),
                    let info = location.status()
                {
                    actions += watcher.handle(.changed(SpoolFile(path: path, status: info)), now: now)
                } else {
                    actions += watcher.handle(.removed(path: path), now: now)
                }
            }
            return actions
        }
    }

    /// Whether `path` leads to a directory (following a link, as the root may be one).
    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Takes the files `trailhound requeue` released from quarantine: each is forgotten and
    /// looked at again as a complete file (one moved back into the spool is seen by inotify too).
    private func takeRequeued(into watcher: inout SpoolWatcher, now: Duration) -> [SpoolWatcher.Action] {
        let paths: [String]
        do {
            paths = try ledger.takeRequeued()
        } catch {
            logger.warning("Cannot look for released files.", metadata: ["th.error": "\(error)"])
            return []
        }
        var actions: [SpoolWatcher.Action] = []
        for path in paths {
            logger.info("File released from quarantine; reading it again.", metadata: ["th.file": "\(path)"])
            watcher.forget(path: path)
            if case .success(let location) = SpoolLocation.open(root: spool.directory, path: path),
                let info = location.status()
            {
                actions += watcher.handle(.closed(SpoolFile(path: path, status: info)), now: now)
            }
        }
        return actions
    }

    /// Records the directories the last scan could not list (the root too, when the scan failed
    /// as a whole), logging each once when it starts failing and when it can be listed again:
    /// files in them are not seen at all, so `/healthz` and `trailhound status` show them.
    private func noteUnlistable(_ problems: [SpoolError]) {
        var current: [String: String] = [:]
        for problem in problems {
            let reason = problem.description
            let new = logged.withLockedValue { seen in
                if seen.count > 4096 { seen.removeAll() }
                return seen.insert(reason).inserted
            }
            if !new { continue }
            logger.warning("Part of the spool cannot be read.", metadata: ["th.error": "\(reason)"])
        }
        // A name that is not UTF-8, a link, a loop are what they are until someone changes them;
        // a directory that cannot be listed is the environment's doing, retried at every scan.
        for problem in problems where problem.kind == .unreadableRoot || problem.kind == .unreadableDirectory {
            current[problem.path] = problem.description
        }
        let previous = unlistable.withLockedValue { known in
            defer { known = current }
            return known
        }
        for (path, reason) in current where previous[path] != reason {
            events.readFailed(path: path, reason: reason)
        }
        let recovered = previous.keys.filter { current[$0] == nil }
        for path in recovered {
            logger.info("Part of the spool can be read again.", metadata: ["th.directory": "\(path)"])
            _ = logged.withLockedValue { $0.remove(previous[path]!) }  // said again if it fails again
        }
        events.readRecovered(paths: recovered)
        guard current != previous else { return }
        do {
            try ledger.replaceDirectoryProblems(current, now: DaemonClock.wallMilliseconds())
        } catch {
            logger.debug("Cannot record the spool's unreadable directories.", metadata: ["th.error": "\(error)"])
        }
    }

    /// Drops delivered alerts past the retention, ledger rows of files gone from the spool, and
    /// alarm history older than the lateness allows any file to need.
    private func collectGarbage() {
        let before = DaemonClock.wallMilliseconds() - retention.milliseconds
        do {
            let removed = try ledger.collectGarbage(before: before)
            let gone = try ledger.files(processedBefore: before).filter {
                !FileManager.default.fileExists(atPath: spool.directory + "/" + $0)
            }
            try ledger.forgetFiles(gone)
            let minutes = try ledger.forgetAlarmHistory(now: DaemonClock.wallMilliseconds(), alarms: options.alarms)
            if removed > 0 || !gone.isEmpty || minutes > 0 {
                logger.info(
                    "Old ledger rows removed.",
                    metadata: [
                        "th.deliveries": "\(removed)", "th.files": "\(gone.count)", "th.alarm_minutes": "\(minutes)",
                    ])
            }
        } catch {
            logger.warning("Cannot collect ledger garbage.", metadata: ["th.error": "\(error)"])
            events.ledgerFailed(.maintenance, error: error)
        }
    }
}
