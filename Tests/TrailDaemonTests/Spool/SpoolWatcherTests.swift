import Testing
import TrailTestKit

@testable import TrailDaemon

/// The spool lifecycle, driven by hand: no files, no clock, time is whatever the test says.
struct SpoolWatcherTests {
    static let configuration = SpoolWatcher.Configuration(
        settle: .seconds(5), rescanInterval: .seconds(300), retryDelay: .seconds(30))

    /// A CloudTrail log observation delivered at 2026-11-22 `hhmm` UTC.
    static func file(_ hhmm: String, size: Int = 100, modified: Int64 = 1_000, unique: String = "abc") -> SpoolFile {
        let name = "111122223333_CloudTrail_us-east-1_20261122T\(hhmm)Z_\(unique).json.gz"
        return SpoolFile(
            path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/" + name, size: size, modified: modified)
    }

    /// A watcher that has done its (empty) initial scan at time 0.
    static func started() -> SpoolWatcher {
        var watcher = SpoolWatcher(configuration: configuration)
        #expect(watcher.start(now: .zero) == [.scan])
        #expect(watcher.handle(.scanned(SpoolScan()), now: .zero) == [])
        return watcher
    }

    /// Takes every ready file, marking each done, and returns them in the order handed out.
    static func drain(_ watcher: inout SpoolWatcher, now: Duration) -> [SpoolFile] {
        var taken: [SpoolFile] = []
        while let file = watcher.nextReady(now: now) {
            taken.append(file)
            watcher.finished(file.path, .done, now: now)
        }
        return taken
    }

    @Test("start asks for a full scan, and the next one is due a rescan interval later")
    func startScans() {
        var watcher = SpoolWatcher(configuration: Self.configuration)
        #expect(watcher.nextDeadline == nil)
        #expect(watcher.start(now: .seconds(10)) == [.scan])
        // While the scan runs there is nothing to wake up for.
        #expect(watcher.nextDeadline == nil)
        #expect(watcher.handle(.scanned(SpoolScan()), now: .seconds(11)) == [])
        #expect(watcher.nextDeadline == .seconds(310))
        #expect(watcher.tick(now: .seconds(309)) == [])
        #expect(watcher.tick(now: .seconds(310)) == [.scan])
    }

    @Test("a closed file is ready at once")
    func closedIsReady() {
        var watcher = Self.started()
        let file = Self.file("1005")
        #expect(watcher.handle(.closed(file), now: .seconds(1)) == [])
        #expect(watcher.state(of: file.path) == .ready)
        #expect(watcher.backlog == 1)
        #expect(watcher.nextReady(now: .seconds(1)) == file)
        #expect(watcher.backlog == 0 && watcher.inHand == 1)
    }

    @Test("a changed file is ready only after it has stayed the same for the settle time")
    func changedSettles() {
        var watcher = Self.started()
        let file = Self.file("1005")
        #expect(watcher.handle(.changed(file), now: .seconds(1)) == [])
        #expect(watcher.state(of: file.path) == .settling)
        #expect(watcher.nextReady(now: .seconds(1)) == nil)
        #expect(watcher.nextDeadline == .seconds(6))
        #expect(watcher.tick(now: .seconds(5)) == [])
        // Unchanged, but the settle time is not up yet: still settling.
        #expect(watcher.handle(.changed(file), now: .seconds(5)) == [])
        #expect(watcher.nextReady(now: .seconds(5)) == nil)
        // Settle time up: the watcher asks for a fresh look instead of trusting the old one.
        #expect(watcher.tick(now: .seconds(6)) == [.stat([file.path])])
        #expect(watcher.nextReady(now: .seconds(6)) == nil)
        // Asked once: no second stat while the answer is outstanding.
        #expect(watcher.tick(now: .seconds(7)) == [])
        #expect(watcher.handle(.changed(file), now: .seconds(7)) == [])
        #expect(watcher.nextReady(now: .seconds(7)) == file)
    }

    @Test("the settle time restarts whenever size or mtime changes")
    func settleRestarts() {
        var watcher = Self.started()
        let small = Self.file("1005", size: 10, modified: 1)
        let large = Self.file("1005", size: 20, modified: 2)
        let touched = Self.file("1005", size: 20, modified: 3)
        _ = watcher.handle(.changed(small), now: .seconds(0))
        _ = watcher.handle(.changed(large), now: .seconds(3))
        #expect(watcher.nextDeadline == .seconds(8))
        #expect(watcher.tick(now: .seconds(5)) == [])
        #expect(watcher.tick(now: .seconds(8)) == [.stat([large.path])])
        // The stat finds the file grew (same size, newer mtime): settle again from now.
        _ = watcher.handle(.changed(touched), now: .seconds(8))
        #expect(watcher.nextReady(now: .seconds(8)) == nil)
        #expect(watcher.nextDeadline == .seconds(13))
        #expect(watcher.tick(now: .seconds(13)) == [.stat([touched.path])])
        _ = watcher.handle(.changed(touched), now: .seconds(13))
        #expect(watcher.nextReady(now: .seconds(13)) == touched)
    }

    @Test("a ready file that is written again goes back to settling")
    func readyThenWritten() {
        var watcher = Self.started()
        let file = Self.file("1005", size: 10)
        _ = watcher.handle(.closed(file), now: .seconds(0))
        _ = watcher.handle(.changed(Self.file("1005", size: 30)), now: .seconds(1))
        #expect(watcher.state(of: file.path) == .settling)
        #expect(watcher.nextReady(now: .seconds(1)) == nil)
        _ = watcher.handle(.closed(Self.file("1005", size: 40)), now: .seconds(2))
        #expect(watcher.nextReady(now: .seconds(2))?.size == 40)
    }

    @Test("a file first seen by a scan is ready when a later scan finds it unchanged after the settle time")
    func scannedSettles() {
        var watcher = SpoolWatcher(configuration: Self.configuration)
        let file = Self.file("1005")
        _ = watcher.start(now: .zero)
        _ = watcher.handle(.scanned(SpoolScan(files: [file])), now: .seconds(1))
        #expect(watcher.nextReady(now: .seconds(1)) == nil)
        #expect(watcher.nextDeadline == .seconds(6))
        _ = watcher.handle(.overflow, now: .seconds(7))
        _ = watcher.handle(.scanned(SpoolScan(files: [file])), now: .seconds(7))
        #expect(watcher.nextReady(now: .seconds(7)) == file)
    }

    @Test("the backlog comes out oldest delivery time first, then oldest mtime, then path")
    func backlogOrder() {
        var watcher = Self.started()
        let files = [
            Self.file("1005", modified: 1),
            Self.file("0955", modified: 9),
            Self.file("1000", modified: 5, unique: "b"),
            Self.file("1000", modified: 5, unique: "a"),
            Self.file("1000", modified: 3, unique: "z"),
            SpoolFile(path: "custom/no-cloudtrail-name.json", size: 1, modified: 1_795_341_000 * 1_000_000_000),
        ]
        for file in files { _ = watcher.handle(.closed(file), now: .seconds(1)) }
        #expect(watcher.backlog == 6)
        let order = Self.drain(&watcher, now: .seconds(1)).map(\.path)
        // The custom file's mtime (09:50) stands in for its delivery time.
        #expect(order == [files[5], files[1], files[4], files[3], files[2], files[0]].map(\.path))
    }

    @Test("a late file with an older name is still processed after newer ones are done")
    func noWatermark() {
        var watcher = Self.started()
        let newer = Self.file("1005")
        _ = watcher.handle(.closed(newer), now: .seconds(1))
        #expect(Self.drain(&watcher, now: .seconds(1)) == [newer])
        let older = Self.file("0900")
        _ = watcher.handle(.closed(older), now: .seconds(2))
        #expect(Self.drain(&watcher, now: .seconds(2)) == [older])
    }

    @Test("a file in hand is not proposed again, whatever reports it, until finished")
    func inHandNotReproposed() {
        var watcher = Self.started()
        let file = Self.file("1005")
        _ = watcher.handle(.closed(file), now: .seconds(1))
        #expect(watcher.nextReady(now: .seconds(2)) == file)
        #expect(watcher.state(of: file.path) == .inHand(since: .seconds(2)))
        _ = watcher.handle(.closed(file), now: .seconds(3))
        _ = watcher.handle(.changed(file), now: .seconds(3))
        _ = watcher.handle(.overflow, now: .seconds(3))
        _ = watcher.handle(.scanned(SpoolScan(files: [file])), now: .seconds(3))
        _ = watcher.tick(now: .seconds(100))
        #expect(watcher.nextReady(now: .seconds(100)) == nil)
        // A scan that does not list it (the processor moved it to quarantine) does not drop it.
        _ = watcher.handle(.overflow, now: .seconds(101))
        _ = watcher.handle(.scanned(SpoolScan()), now: .seconds(101))
        #expect(watcher.state(of: file.path) == .inHand(since: .seconds(2)))
        watcher.finished(file.path, .done, now: .seconds(102))
        #expect(watcher.state(of: file.path) == .finished(.done))
        #expect(watcher.nextReady(now: .seconds(102)) == nil)
    }

    @Test("a finished file is not proposed again by rescans, but is once its size or mtime changes")
    func finishedRemembered() {
        var watcher = Self.started()
        let file = Self.file("1005", size: 100)
        _ = watcher.handle(.closed(file), now: .seconds(1))
        #expect(Self.drain(&watcher, now: .seconds(1)) == [file])
        for now in [Duration.seconds(310), .seconds(610)] {
            #expect(watcher.tick(now: now) == [.scan])
            _ = watcher.handle(.scanned(SpoolScan(files: [file])), now: now)
            _ = watcher.tick(now: now + .seconds(10))
            #expect(watcher.nextReady(now: now + .seconds(10)) == nil)
        }
        #expect(watcher.remembered == 1)
        // Rewritten in place: a rescan sees the new size, and it settles like any new file.
        let rewritten = Self.file("1005", size: 200, modified: 2_000)
        _ = watcher.tick(now: .seconds(910))
        _ = watcher.handle(.scanned(SpoolScan(files: [rewritten])), now: .seconds(910))
        #expect(watcher.state(of: file.path) == .settling)
        #expect(watcher.tick(now: .seconds(915)) == [.stat([file.path])])
        _ = watcher.handle(.changed(rewritten), now: .seconds(915))
        #expect(Self.drain(&watcher, now: .seconds(915)) == [rewritten])
        // Replaced by a rename (IN_MOVED_TO): ready at once.
        let replaced = Self.file("1005", size: 300, modified: 3_000)
        _ = watcher.handle(.closed(replaced), now: .seconds(920))
        #expect(Self.drain(&watcher, now: .seconds(920)) == [replaced])
        // The same content closed again (a writer that opened and closed without writing).
        _ = watcher.handle(.closed(replaced), now: .seconds(921))
        #expect(watcher.nextReady(now: .seconds(921)) == nil)
    }

    @Test("quarantined and skipped files are remembered like done ones")
    func otherOutcomesRemembered() {
        var watcher = Self.started()
        let quarantined = Self.file("1005", unique: "q")
        let skipped = Self.file("1005", unique: "s")
        _ = watcher.handle(.closed(quarantined), now: .seconds(1))
        _ = watcher.handle(.closed(skipped), now: .seconds(1))
        let first = watcher.nextReady(now: .seconds(1))
        let second = watcher.nextReady(now: .seconds(1))
        #expect(first?.path == quarantined.path && second?.path == skipped.path)
        watcher.finished(quarantined.path, .quarantined, now: .seconds(2))
        watcher.finished(skipped.path, .skipped, now: .seconds(2))
        _ = watcher.handle(.closed(quarantined), now: .seconds(3))
        _ = watcher.handle(.changed(skipped), now: .seconds(3))
        _ = watcher.tick(now: .seconds(10))
        #expect(watcher.nextReady(now: .seconds(10)) == nil)
        #expect(watcher.state(of: quarantined.path) == .finished(.quarantined))
        #expect(watcher.state(of: skipped.path) == .finished(.skipped))
    }

    @Test("a retried file is tried again after the retry delay if it stays the same")
    func retryAfterDelay() {
        var watcher = Self.started()
        let file = Self.file("1005")
        _ = watcher.handle(.closed(file), now: .seconds(1))
        #expect(watcher.nextReady(now: .seconds(1)) == file)
        watcher.finished(file.path, .retry, now: .seconds(10))
        #expect(watcher.state(of: file.path) == .settling)
        #expect(watcher.backlog == 1)
        #expect(watcher.nextDeadline == .seconds(40))
        // Unchanged sightings before the delay do not make it ready early.
        _ = watcher.handle(.changed(file), now: .seconds(20))
        #expect(watcher.tick(now: .seconds(39)) == [])
        #expect(watcher.nextReady(now: .seconds(39)) == nil)
        #expect(watcher.tick(now: .seconds(40)) == [.stat([file.path])])
        _ = watcher.handle(.changed(file), now: .seconds(40))
        #expect(watcher.nextReady(now: .seconds(40)) == file)
    }

    @Test("a retried file that changes and settles again is tried sooner; one closed again at once")
    func retrySooner() {
        var watcher = Self.started()
        let file = Self.file("1005", size: 10)
        _ = watcher.handle(.closed(file), now: .seconds(1))
        _ = watcher.nextReady(now: .seconds(1))
        watcher.finished(file.path, .retry, now: .seconds(2))
        let grown = Self.file("1005", size: 20, modified: 2_000)
        _ = watcher.handle(.changed(grown), now: .seconds(3))
        #expect(watcher.nextDeadline == .seconds(8))
        #expect(watcher.tick(now: .seconds(8)) == [.stat([file.path])])
        _ = watcher.handle(.changed(grown), now: .seconds(8))
        #expect(watcher.nextReady(now: .seconds(8)) == grown)
        watcher.finished(file.path, .retry, now: .seconds(9))
        let complete = Self.file("1005", size: 30, modified: 3_000)
        _ = watcher.handle(.closed(complete), now: .seconds(10))
        #expect(watcher.nextReady(now: .seconds(10)) == complete)
    }

    @Test("a blocked file is retried with doubling waits up to the maximum; a success resets them")
    func blockedBacksOff() {
        var watcher = SpoolWatcher(
            configuration: .init(
                settle: .seconds(5), rescanInterval: .seconds(3600), retryDelay: .seconds(10),
                maxRetryDelay: .seconds(35)))
        #expect(watcher.start(now: .zero) == [.scan])
        _ = watcher.handle(.scanned(SpoolScan()), now: .zero)
        let file = Self.file("1005")
        _ = watcher.handle(.closed(file), now: .zero)
        var now = Duration.zero
        var waits: [Duration] = []
        for _ in 0..<5 {
            #expect(watcher.nextReady(now: now) == file)
            watcher.finished(file.path, .blocked, now: now)
            #expect(watcher.state(of: file.path) == .settling)
            let due = watcher.nextDeadline!
            waits.append(due - now)
            #expect(watcher.tick(now: due) == [.stat([file.path])])
            _ = watcher.handle(.changed(file), now: due)
            now = due
        }
        #expect(waits == [.seconds(10), .seconds(20), .seconds(35), .seconds(35), .seconds(35)])
        #expect(watcher.nextReady(now: now) == file)
        watcher.finished(file.path, .done, now: now)
        #expect(watcher.state(of: file.path) == .finished(.done))
        // Blocked again later: the waits start over.
        let touched = SpoolFile(path: file.path, size: file.size, modified: file.modified, changed: file.changed + 1)
        _ = watcher.handle(.closed(touched), now: now)
        #expect(watcher.nextReady(now: now) == touched)
        watcher.finished(file.path, .blocked, now: now)
        #expect(watcher.nextDeadline == now + .seconds(10))
        // A rescan (the spool loop asks) must not cut the wait short.
        #expect(watcher.isBackingOff(file.path, now: now + .seconds(9)))
        #expect(!watcher.isBackingOff(file.path, now: now + .seconds(10)))
    }

    @Test("a blocked file whose mode changes (a new ctime) is tried as soon as it settles, not at its backoff")
    func blockedRetriedOnCtimeChange() {
        var watcher = Self.started()
        let file = Self.file("1005")
        _ = watcher.handle(.closed(file), now: .seconds(1))
        _ = watcher.nextReady(now: .seconds(1))
        watcher.finished(file.path, .blocked, now: .seconds(2))
        #expect(watcher.nextDeadline == .seconds(32))
        let chmodded = SpoolFile(path: file.path, size: file.size, modified: file.modified, changed: 99_000)
        _ = watcher.handle(.changed(chmodded), now: .seconds(3))
        #expect(watcher.nextDeadline == .seconds(8))
        #expect(watcher.tick(now: .seconds(8)) == [.stat([file.path])])
        _ = watcher.handle(.changed(chmodded), now: .seconds(8))
        #expect(watcher.nextReady(now: .seconds(8)) == chmodded)
    }

    @Test("a finished file seen with the same size and mtime but a new ctime (cp -p over it) is proposed again")
    func newCtimeIsAChange() {
        var watcher = Self.started()
        let file = Self.file("1005", modified: 5_000)
        _ = watcher.handle(.closed(file), now: .seconds(1))
        #expect(Self.drain(&watcher, now: .seconds(1)) == [file])
        // A rescan of the same entry proposes nothing; the same size and mtime with a new ctime does.
        _ = watcher.handle(.changed(file), now: .seconds(2))
        #expect(watcher.state(of: file.path) == .finished(.done))
        let copied = SpoolFile(path: file.path, size: file.size, modified: file.modified, changed: 7_000)
        _ = watcher.handle(.closed(copied), now: .seconds(3))
        #expect(Self.drain(&watcher, now: .seconds(3)) == [copied])
    }

    @Test("sightings while a file is in hand are applied when it is finished")
    func sightingsWhileInHand() {
        var watcher = Self.started()
        let file = Self.file("1005", size: 10)
        let appended = Self.file("1005", size: 20, modified: 2_000)
        _ = watcher.handle(.closed(file), now: .seconds(1))
        _ = watcher.nextReady(now: .seconds(1))
        _ = watcher.handle(.closed(appended), now: .seconds(2))
        watcher.finished(file.path, .done, now: .seconds(3))
        // The writer closed a newer version while we read the old one: ready again at once.
        #expect(watcher.nextReady(now: .seconds(3)) == appended)
        let more = Self.file("1005", size: 30, modified: 3_000)
        _ = watcher.handle(.changed(more), now: .seconds(4))
        watcher.finished(file.path, .done, now: .seconds(5))
        #expect(watcher.state(of: file.path) == .settling)
        #expect(watcher.nextDeadline == .seconds(9))
    }

    @Test("overflow and the rescan interval ask for a scan; requests during a scan coalesce into one more")
    func scans() {
        var watcher = Self.started()
        #expect(watcher.handle(.overflow, now: .seconds(1)) == [.scan])
        #expect(watcher.handle(.overflow, now: .seconds(2)) == [])
        #expect(watcher.handle(.directoryAdded(path: "AWSLogs/x"), now: .seconds(2)) == [])
        #expect(watcher.tick(now: .seconds(2)) == [])
        #expect(watcher.handle(.scanned(SpoolScan()), now: .seconds(3)) == [.scan])
        #expect(watcher.handle(.scanned(SpoolScan()), now: .seconds(4)) == [])
        // The periodic scan is counted from the last scan requested.
        #expect(watcher.nextDeadline == .seconds(303))
        #expect(watcher.tick(now: .seconds(303)) == [.scan])
        // A failed scan is retried after the retry delay.
        #expect(watcher.handle(.scanFailed, now: .seconds(304)) == [])
        #expect(watcher.nextDeadline == .seconds(334))
        #expect(watcher.tick(now: .seconds(334)) == [.scan])
    }

    @Test("a new directory asks for a scan")
    func directoryAddedScans() {
        var watcher = Self.started()
        #expect(
            watcher.handle(
                .directoryAdded(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/23"), now: .seconds(1)) == [
                    .scan
                ])
    }

    @Test("a removed file is dropped from the backlog and its deadline")
    func removedDropped() {
        var watcher = Self.started()
        let settling = Self.file("1005", unique: "s")
        let ready = Self.file("1005", unique: "r")
        _ = watcher.handle(.changed(settling), now: .seconds(1))
        _ = watcher.handle(.closed(ready), now: .seconds(1))
        #expect(watcher.backlog == 2)
        _ = watcher.handle(.removed(path: settling.path), now: .seconds(2))
        _ = watcher.handle(.removed(path: ready.path), now: .seconds(2))
        #expect(watcher.backlog == 0)
        #expect(watcher.state(of: settling.path) == nil)
        #expect(watcher.nextReady(now: .seconds(2)) == nil)
        // Only the periodic scan is left to wait for.
        #expect(watcher.nextDeadline == .seconds(300))
        #expect(watcher.tick(now: .seconds(6)) == [])
    }

    @Test("a file removed while in hand is forgotten when it is finished")
    func removedInHand() {
        var watcher = Self.started()
        let file = Self.file("1005")
        _ = watcher.handle(.closed(file), now: .seconds(1))
        _ = watcher.nextReady(now: .seconds(1))
        _ = watcher.handle(.removed(path: file.path), now: .seconds(2))
        #expect(watcher.state(of: file.path) == .inHand(since: .seconds(1)))
        watcher.finished(file.path, .done, now: .seconds(3))
        #expect(watcher.state(of: file.path) == nil)
        #expect(watcher.remembered == 0)
    }

    @Test("a removed directory drops everything below it")
    func directoryRemoved() {
        var watcher = Self.started()
        let inside = Self.file("1005")
        let outside = SpoolFile(
            path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/2/x.json", size: 1, modified: 1)
        _ = watcher.handle(.closed(inside), now: .seconds(1))
        _ = watcher.handle(.closed(outside), now: .seconds(1))
        _ = watcher.handle(
            .directoryRemoved(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22"), now: .seconds(2))
        #expect(watcher.state(of: inside.path) == nil)
        #expect(watcher.state(of: outside.path) == .ready)
    }

    @Test("finished files missing from a full scan are forgotten; forget(path:) drops one explicitly")
    func memoryFollowsDisk() {
        var watcher = Self.started()
        let kept = Self.file("1005", unique: "k")
        let deleted = Self.file("1005", unique: "d")
        let forgotten = Self.file("1005", unique: "f")
        for file in [kept, deleted, forgotten] { _ = watcher.handle(.closed(file), now: .seconds(1)) }
        _ = Self.drain(&watcher, now: .seconds(1))
        #expect(watcher.remembered == 3)
        watcher.forget(path: forgotten.path)
        #expect(watcher.state(of: forgotten.path) == nil)
        _ = watcher.handle(.overflow, now: .seconds(2))
        _ = watcher.handle(.scanned(SpoolScan(files: [kept])), now: .seconds(3))
        #expect(watcher.remembered == 1)
        #expect(watcher.state(of: kept.path) == .finished(.done))
        #expect(watcher.state(of: deleted.path) == nil)
    }

    @Test("a file an event reported after the scan began survives that scan's result")
    func eventDuringScan() {
        var watcher = Self.started()
        let early = Self.file("1000", unique: "e")
        _ = watcher.handle(.changed(early), now: .seconds(1))
        #expect(watcher.handle(.overflow, now: .seconds(2)) == [.scan])
        let late = Self.file("1005", unique: "l")
        _ = watcher.handle(.closed(late), now: .seconds(3))
        // The walk passed the directory before `late` arrived, and `early` was deleted with its
        // removal event lost.
        _ = watcher.handle(.scanned(SpoolScan()), now: .seconds(4))
        #expect(watcher.state(of: late.path) == .ready)
        #expect(watcher.state(of: early.path) == nil)
    }

    @Test("nextDeadline is the earlier of the next scan and the earliest settle deadline")
    func nextDeadline() {
        var watcher = Self.started()
        #expect(watcher.nextDeadline == .seconds(300))
        _ = watcher.handle(.changed(Self.file("1005", unique: "a")), now: .seconds(10))
        _ = watcher.handle(.changed(Self.file("1005", unique: "b")), now: .seconds(12))
        #expect(watcher.nextDeadline == .seconds(15))
        // Superseding a's observation moves its deadline; b's is now the earliest.
        _ = watcher.handle(.changed(Self.file("1005", size: 7, unique: "a")), now: .seconds(13))
        #expect(watcher.nextDeadline == .seconds(17))
        #expect(watcher.tick(now: .seconds(17)) == [.stat([Self.file("1005", unique: "b").path])])
        #expect(watcher.nextDeadline == .seconds(18))
        #expect(watcher.tick(now: .seconds(18)) == [.stat([Self.file("1005", unique: "a").path])])
        // Both stats outstanding: only the periodic scan remains.
        #expect(watcher.nextDeadline == .seconds(300))
        _ = watcher.handle(.removed(path: Self.file("1005", unique: "a").path), now: .seconds(19))
        _ = watcher.handle(.removed(path: Self.file("1005", unique: "b").path), now: .seconds(19))
        #expect(watcher.nextDeadline == .seconds(300))
    }

    @Test("a large shuffled backlog drains in delivery order, each file exactly once")
    func largeBacklog() {
        var watcher = Self.started()
        var generator = SplitMix64(seed: 42)
        var files: [SpoolFile] = []
        for index in 0..<2_000 {
            let hour = Int(generator.next() % 24)
            let minute = Int(generator.next() % 60)
            let hhmm = (hour < 10 ? "0" : "") + "\(hour)" + (minute < 10 ? "0" : "") + "\(minute)"
            files.append(Self.file(hhmm, modified: Int64(generator.next() % 1_000), unique: "u\(index)"))
        }
        for (index, file) in files.enumerated() {
            // Every file is touched several times first, as IN_MODIFY floods would.
            for size in 1...3 { _ = watcher.handle(.changed(Self.resized(file, size)), now: .milliseconds(index)) }
            _ = watcher.handle(.closed(file), now: .milliseconds(index))
        }
        #expect(watcher.backlog == files.count)
        let drained = Self.drain(&watcher, now: .seconds(10))
        #expect(drained.count == files.count)
        #expect(Set(drained.map(\.path)).count == files.count)
        let keys = drained.map { ($0.name?.deliveryTime ?? 0, $0.modified, $0.path) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(watcher.backlog == 0 && watcher.remembered == files.count)
    }

    static func resized(_ file: SpoolFile, _ size: Int) -> SpoolFile {
        var copy = file
        copy.size = size
        return copy
    }
}
