import Foundation
import Testing

@testable import TrailDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// The watch bookkeeping, driven record by record without the background thread.
struct InotifyLoopTests {
    /// A loop over a fresh inotify instance, its stream, and a closer for both.
    static func loop(_ spool: SpoolTestDirectory) throws -> (InotifyLoop, AsyncStream<InotifyWatcher.Event>, () -> Void)
    {
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        try #require(inotify >= 0)
        let (stream, continuation) = AsyncStream.makeStream(of: InotifyWatcher.Event.self)
        let loop = InotifyLoop(
            root: spool.path, filter: SpoolFilter(), inotify: inotify, wake: -1, continuation: continuation)
        return (
            loop, stream,
            {
                continuation.finish()
                close(inotify)
            }
        )
    }

    @Test("a kernel queue overflow re-walks the tree, so directories whose events were lost get watches")
    func overflowRewalks() async throws {
        let spool = try SpoolTestDirectory()
        let (loop, stream, finish) = try Self.loop(spool)
        try loop.watchTree()
        #expect(Set(loop.directories.values) == [""])
        // Nobody reads the inotify queue here: this stands in for IN_CREATE events the kernel lost.
        try spool.makeDirectory("2026/11/25")
        try spool.makeDirectory(".staging/2026")
        loop.handle(InotifyRecord(watch: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 0, name: nil))
        #expect(Set(loop.directories.values) == ["", "2026", "2026/11", "2026/11/25"])
        finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events == [.overflow])
    }

    @Test("a directory moved away loses its watches and those below it; IN_IGNORED forgets a watch")
    func movedAwayAndIgnored() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory("a/b/c")
        try spool.makeDirectory("keep")
        let (loop, stream, finish) = try Self.loop(spool)
        try loop.watchTree()
        #expect(Set(loop.directories.values) == ["", "a", "a/b", "a/b/c", "keep"])
        let root = try #require(loop.directories.first { $0.value == "" }?.key)
        loop.handle(
            InotifyRecord(
                watch: root, mask: UInt32(IN_MOVED_FROM) | UInt32(IN_ISDIR), cookie: 1, name: Array("a".utf8)))
        #expect(Set(loop.directories.values) == ["", "keep"])
        let keep = try #require(loop.directories.first { $0.value == "keep" }?.key)
        loop.handle(InotifyRecord(watch: keep, mask: UInt32(IN_IGNORED), cookie: 0, name: nil))
        #expect(Set(loop.directories.values) == [""])
        // Records for a watch that is gone are dropped.
        loop.handle(InotifyRecord(watch: keep, mask: UInt32(IN_CLOSE_WRITE), cookie: 0, name: Array("x".utf8)))
        // The root really goes (a root still there would be watched again at once).
        try FileManager.default.removeItem(atPath: spool.path)
        loop.handle(InotifyRecord(watch: root, mask: UInt32(IN_DELETE_SELF), cookie: 0, name: nil))
        loop.handle(InotifyRecord(watch: root, mask: UInt32(IN_IGNORED), cookie: 0, name: nil))
        #expect(loop.directories.isEmpty)
        finish()
        var events: [InotifyWatcher.Event] = []
        for await event in stream { events.append(event) }
        #expect(events.count == 2)
        #expect(events.first == .directoryRemoved(path: "a"))
        guard case .failed(let error)? = events.last else {
            Issue.record("expected the root to be reported gone: \(events)")
            return
        }
        #expect(error.kind == .rootGone)
        #expect(
            error.description.hasSuffix(
                "the spool directory went away: it was deleted (recreate it, or fix `spool.directory`;"
                    + " trailhound watches for its return and resumes by itself, and withholds the watchdog ping meanwhile)"
            ))
    }
}
