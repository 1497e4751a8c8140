import Foundation
import Testing

@testable import TrailDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// The spool root going away and coming back, on a real inotify instance and real directories:
/// the watcher reports it gone once, watches again by itself when it is back (through the
/// parent's watch, or the check each rescan makes), and reports files that land afterwards. Every
/// wait is bounded, so a missing event fails the test instead of hanging it.
struct InotifyRootHealTests {
    static let log = InotifyWatcherTests.log

    /// A directory holding the spool root at `spool` (so the root's parent is ours to delete).
    final class Tree {
        let base: SpoolTestDirectory
        var parent: String { base.absolute("parent") }
        var spool: String { base.absolute("parent/spool") }

        init() throws {
            base = try SpoolTestDirectory()
            try FileManager.default.createDirectory(
                atPath: base.absolute("parent/spool"), withIntermediateDirectories: true)
        }

        func makeDirectory(_ path: String) throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
    }

    static func isGone(_ root: String, cause: String? = nil) -> (InotifyWatcher.Event) -> Bool {
        { event in
            guard case .failed(let error) = event, error.kind == .rootGone, error.path == root else { return false }
            return cause.map { error.cause.contains($0) } ?? true
        }
    }

    static func goneReports(_ events: [InotifyWatcher.Event]) -> Int {
        events.filter {
            if case .failed(let error) = $0 { return error.kind == .rootGone }
            return false
        }.count
    }

    @Test(
        "a deleted root is reported gone once; recreated, it is watched again without a rescan, and new files are seen")
    func deletedRootHealsThroughItsParent() async throws {
        let tree = try Tree()
        try tree.makeDirectory(tree.spool + "/2026/11/22")
        let watcher = try InotifyWatcher(root: tree.spool)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)

        try FileManager.default.removeItem(atPath: tree.spool)
        let gone = await events.first(where: Self.isGone(tree.spool, cause: "it was deleted"))
        guard case .failed(let error)? = gone else {
            Issue.record("no rootGone report; got \(events.events)")
            return
        }
        #expect(
            error.description
                == "\(tree.spool): the spool directory went away: it was deleted (recreate it, or fix `spool.directory`;"
                + " trailhound watches for its return and resumes by itself, and withholds the watchdog ping meanwhile)"
        )
        #expect(events.events.contains(.directoryRemoved(path: "2026")), "\(events.events)")

        // No refresh is asked for: the parent's watch alone notices the return.
        try tree.makeDirectory(tree.spool)
        #expect(await events.first(where: { $0 == .rootReturned }) != nil, "\(events.events)")
        #expect(InotifyWatcher.Event.rootReturned.watcherEvent == .directoryAdded(path: ""))
        try InotifyWatcherTests.writeAndClose(tree.spool + "/" + Self.log, bytes: 12)
        #expect(await events.first(where: InotifyWatcherTests.isClosed(Self.log, size: 12)) != nil, "\(events.events)")
        // A new day's directory under the returned root is watched too.
        try tree.makeDirectory(tree.spool + "/2026/11/23")
        #expect(await events.first(where: { $0 == .directoryAdded(path: "2026/11/23") }) != nil, "\(events.events)")
        try InotifyWatcherTests.writeAndClose(tree.spool + "/2026/11/23/" + Self.log, bytes: 3)
        #expect(await events.first(where: InotifyWatcherTests.isClosed("2026/11/23/" + Self.log)) != nil)
        #expect(Self.goneReports(events.events) == 1, "\(events.events)")
    }

    @Test("a root moved away drops its watches: files written in the moved tree are not reported as the spool's")
    func movedRootDropsItsWatches() async throws {
        let tree = try Tree()
        try tree.makeDirectory(tree.spool + "/in")
        let watcher = try InotifyWatcher(root: tree.spool)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)

        #expect(rename(tree.spool, tree.parent + "/spool.old") == 0)
        #expect(await events.first(where: Self.isGone(tree.spool, cause: "it was moved away")) != nil)
        try InotifyWatcherTests.writeAndClose(tree.parent + "/spool.old/in/" + Self.log("old"), bytes: 1)
        try tree.makeDirectory(tree.spool + "/in")
        #expect(await events.first(where: { $0 == .rootReturned }) != nil, "\(events.events)")
        try InotifyWatcherTests.writeAndClose(tree.spool + "/in/" + Self.log("new"), bytes: 1)
        #expect(await events.first(where: InotifyWatcherTests.isClosed("in/" + Self.log("new"))) != nil)
        #expect(!events.events.contains { "\($0)".contains(Self.log("old")) }, "\(events.events)")
    }

    @Test("with the parent deleted too, nothing can watch for the root; the check a rescan makes re-arms it")
    func parentGoneHealsAtTheNextRescan() async throws {
        let tree = try Tree()
        let watcher = try InotifyWatcher(root: tree.spool)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)

        try FileManager.default.removeItem(atPath: tree.parent)
        #expect(await events.first(where: Self.isGone(tree.spool)) != nil, "\(events.events)")
        try tree.makeDirectory(tree.spool)
        watcher.refresh(directories: nil)
        #expect(await events.first(where: { $0 == .rootReturned }) != nil, "\(events.events)")
        try InotifyWatcherTests.writeAndClose(tree.spool + "/" + Self.log("late"), bytes: 1)
        #expect(await events.first(where: InotifyWatcherTests.isClosed(Self.log("late"))) != nil)
        #expect(Self.goneReports(events.events) == 1, "\(events.events)")
    }

    @Test("a root replaced by a file is reported with that reason, and watched once it is a directory again")
    func rootReplacedByAFile() async throws {
        let tree = try Tree()
        let watcher = try InotifyWatcher(root: tree.spool)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)

        try FileManager.default.removeItem(atPath: tree.spool)
        #expect(await events.first(where: Self.isGone(tree.spool, cause: "it was deleted")) != nil)
        try InotifyWatcherTests.writeAndClose(tree.spool, bytes: 1)
        let file = await events.first(
            where: Self.isGone(tree.spool, cause: "it is back, but cannot be watched: Not a directory"))
        #expect(file != nil, "\(events.events)")
        #expect(!events.events.contains(.rootReturned))

        #expect(unlink(tree.spool) == 0)
        try tree.makeDirectory(tree.spool)
        #expect(await events.first(where: { $0 == .rootReturned }) != nil, "\(events.events)")
    }

    @Test(
        "a root that is a symbolic link is followed; a re-pointed link or a recreated target is watched again at the next rescan"
    )
    func symbolicLinkRoot() async throws {
        let tree = try Tree()
        let link = tree.base.absolute("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tree.spool)
        let watcher = try InotifyWatcher(root: link)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        try InotifyWatcherTests.writeAndClose(tree.spool + "/" + Self.log("first"), bytes: 1)
        #expect(await events.first(where: InotifyWatcherTests.isClosed(Self.log("first"))) != nil, "\(events.events)")

        // Re-pointed: the old target still exists, so no event says anything; the check does.
        try tree.makeDirectory(tree.base.absolute("other"))
        try FileManager.default.createSymbolicLink(
            atPath: link + ".new", withDestinationPath: tree.base.absolute("other"))
        #expect(rename(link + ".new", link) == 0)
        watcher.refresh(directories: [])
        #expect(await events.first(where: Self.isGone(link, cause: "another directory")) != nil, "\(events.events)")
        #expect(await events.first(where: { $0 == .rootReturned }) != nil, "\(events.events)")
        try InotifyWatcherTests.writeAndClose(tree.base.absolute("other/") + Self.log("second"), bytes: 1)
        #expect(await events.first(where: InotifyWatcherTests.isClosed(Self.log("second"))) != nil, "\(events.events)")

        // The target deleted and recreated: nothing of the link's name changes, so no event says
        // it is back; the check re-arms.
        try FileManager.default.removeItem(atPath: tree.base.absolute("other"))
        let gone = await events.first {
            guard case .failed(let error) = $0, error.kind == .rootGone else { return false }
            return error.cause == "it was deleted"
        }
        #expect(gone != nil, "\(events.events)")
        try tree.makeDirectory(tree.base.absolute("other"))
        watcher.refresh(directories: nil)
        let returns = { events.events.filter { $0 == .rootReturned }.count }
        #expect(await events.first(where: { _ in returns() == 2 }) != nil, "\(events.events)")
        try InotifyWatcherTests.writeAndClose(tree.base.absolute("other/") + Self.log("third"), bytes: 1)
        #expect(await events.first(where: InotifyWatcherTests.isClosed(Self.log("third"))) != nil, "\(events.events)")
    }

    static func log(_ unique: String) -> String { InotifyWatcherTests.log(unique) }
}

/// The same, record by record without the thread, for the races a real run can hit only by luck.
struct InotifyLoopHealTests {
    @Test(
        "a root recreated before its deletion is handled is found by the check right after the parent's watch is added")
    func recreatedBeforeTheParentWatch() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory("a")
        let (loop, stream, finish) = try InotifyLoopTests.loop(spool)
        try loop.watchTree()
        let root = loop.rootWatch
        // Deleted and recreated (with a subdirectory) before the loop reads the deletion.
        try FileManager.default.removeItem(atPath: spool.path)
        try spool.makeDirectory("b/c")
        loop.handle(InotifyRecord(watch: root, mask: UInt32(IN_DELETE_SELF), cookie: 0, name: nil))
        #expect(loop.rootWatch >= 0 && loop.rootWatch != root)
        #expect(Set(loop.directories.values) == ["", "b", "b/c"])
        #expect(loop.parentWatch == -1, "the parent's watch goes once the root is back")
        // The old watch's IN_IGNORED, read afterwards, must not undo the new watch.
        loop.handle(InotifyRecord(watch: root, mask: UInt32(IN_IGNORED), cookie: 0, name: nil))
        #expect(Set(loop.directories.values) == ["", "b", "b/c"])
        finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events.count == 2, "\(events)")
        #expect(events.last == .rootReturned)
        guard case .failed(let error)? = events.first else {
            Issue.record("expected the root reported gone first: \(events)")
            return
        }
        #expect(error.kind == .rootGone && error.cause == "it was deleted")
    }

    @Test("with the parent gone too no watch waits for the root; the next check finds it back")
    func parentGoneLeavesItToTheCheck() async throws {
        let base = try SpoolTestDirectory()
        try base.makeDirectory("parent/spool")
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(inotify >= 0)
        defer { close(inotify) }
        let (stream, continuation) = AsyncStream.makeStream(of: InotifyWatcher.Event.self)
        let loop = InotifyLoop(
            root: base.absolute("parent/spool"), filter: SpoolFilter(), inotify: inotify, wake: -1,
            continuation: continuation)
        try loop.watchTree()
        let root = loop.rootWatch
        try FileManager.default.removeItem(atPath: base.absolute("parent"))
        loop.handle(InotifyRecord(watch: root, mask: UInt32(IN_DELETE_SELF), cookie: 0, name: nil))
        #expect(loop.rootWatch == -1 && loop.parentWatch == -1)
        try base.makeDirectory("parent/spool")
        loop.refresh(directories: nil)
        #expect(loop.rootWatch >= 0)
        #expect(loop.parentWatch == -1)
        continuation.finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events.count == 2, "\(events)")
        #expect(events.last == .rootReturned)
    }

    @Test("the check at a rescan watches a listed directory that has no watch, and announces it for a scan")
    func rescanRearmsAMissingSubdirectory() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory("2026/11/24")
        let (loop, stream, finish) = try InotifyLoopTests.loop(spool)
        try loop.watchTree()
        // Nobody reads the queue: this stands in for a directory whose IN_CREATE was lost.
        try spool.makeDirectory("2026/11/25/x")
        try spool.makeDirectory(".staging/y")
        let scan = try SpoolScanner.scan(root: spool.path, filter: SpoolFilter())
        loop.refresh(directories: scan.directories)
        #expect(
            Set(loop.directories.values) == ["", "2026", "2026/11", "2026/11/24", "2026/11/25", "2026/11/25/x"])
        // Nothing missing now: a second check adds and announces nothing.
        loop.refresh(directories: scan.directories)
        finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events == [.directoryAdded(path: "2026/11/25"), .directoryAdded(path: "2026/11/25/x")])
    }

    @Test("a directory renamed while its events were lost is watched under its new name at the next check")
    func rescanFollowsARenameItMissed() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory("a/x")
        let (loop, stream, finish) = try InotifyLoopTests.loop(spool)
        try loop.watchTree()
        #expect(rename(spool.absolute("a"), spool.absolute("b")) == 0)
        let scan = try SpoolScanner.scan(root: spool.path, filter: SpoolFilter())
        loop.refresh(directories: scan.directories)
        // The same watches, under the names that lead to them now.
        #expect(Set(loop.directories.values) == ["", "b", "b/x"])
        finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events == [.directoryAdded(path: "b"), .directoryAdded(path: "b/x")])
    }

    @Test("a kernel queue overflow while the root is gone re-arms it if it is back, then asks for a rescan")
    func overflowWhileGone() async throws {
        let spool = try SpoolTestDirectory()
        let (loop, stream, finish) = try InotifyLoopTests.loop(spool)
        try loop.watchTree()
        let root = loop.rootWatch
        try FileManager.default.removeItem(atPath: spool.path)
        loop.handle(InotifyRecord(watch: root, mask: UInt32(IN_DELETE_SELF), cookie: 0, name: nil))
        #expect(loop.rootWatch == -1)
        #expect(loop.parentWatch >= 0, "the parent is watched for the root's return")
        // Back, but its IN_CREATE on the parent was lost in the overflow.
        try spool.makeDirectory("d")
        loop.handle(InotifyRecord(watch: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 0, name: nil))
        #expect(Set(loop.directories.values) == ["", "d"])
        #expect(loop.parentWatch == -1)
        finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events.count == 3, "\(events)")
        #expect(Array(events.suffix(2)) == [.rootReturned, .overflow])
    }

    @Test("a report of the root going that finds the stream full is owed, and delivered after the overflow")
    func rootReportIsNeverDropped() async throws {
        let spool = try SpoolTestDirectory()
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(inotify >= 0)
        defer { close(inotify) }
        let (stream, continuation) = AsyncStream.makeStream(
            of: InotifyWatcher.Event.self, bufferingPolicy: .bufferingOldest(1))
        let loop = InotifyLoop(
            root: spool.path, filter: SpoolFilter(), inotify: inotify, wake: -1, continuation: continuation)
        try loop.watchTree()
        try spool.makeDirectory("x")
        loop.refresh(directories: ["x"])  // fills the stream
        try FileManager.default.removeItem(atPath: spool.path)
        loop.handle(InotifyRecord(watch: loop.rootWatch, mask: UInt32(IN_DELETE_SELF), cookie: 0, name: nil))
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .directoryAdded(path: "x"))
        loop.deliverOwed()
        #expect(await iterator.next() == .overflow)
        loop.deliverOwed()
        let report = await iterator.next()
        guard case .failed(let error)? = report else {
            Issue.record("expected the root reported gone, got \(String(describing: report))")
            return
        }
        #expect(error.kind == .rootGone)
        continuation.finish()
        #expect(await iterator.next() == nil, "nothing more was owed")
    }

    @Test(
        "the root's parent and name, for the watch that waits for its return",
        arguments: [
            ("/var/spool/cloudtrail", "/var/spool", "cloudtrail"),
            ("/var/spool/cloudtrail//", "/var/spool", "cloudtrail"),
            ("/spool", "/", "spool"), ("spool", ".", "spool"), ("a//b", "a", "b"),
        ])
    func parentOfTheRoot(root: String, parent: String, name: String) {
        let split = InotifyLoop.split(root)
        #expect(split?.path == parent)
        #expect(split?.name == Array(name.utf8))
    }

    @Test("a root with no parent to watch (/, ., ..) is left to rescans", arguments: ["/", ".", "..", "a/..", ""])
    func noParentToWatch(root: String) {
        #expect(InotifyLoop.split(root) == nil)
    }
}
