import Foundation
import Testing

@testable import TrailDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// inotify on a real temporary directory. Every wait is bounded, so a missing event fails the
/// test instead of hanging it.
struct InotifyWatcherTests {
    static let log = "111122223333_CloudTrail_us-east-1_20261122T1005Z_abc.json.gz"

    /// Another CloudTrail log name, so the default filter takes it.
    static func log(_ unique: String) -> String {
        "111122223333_CloudTrail_us-east-1_20261122T1005Z_\(unique).json.gz"
    }

    /// Writes `bytes` with one open, write and close (what a downloader finishing a file does).
    static func writeAndClose(_ path: String, bytes: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0, "open \(path): \(String(cString: strerror(errno)))")
        defer { close(descriptor) }
        let data = [UInt8](repeating: 0x41, count: bytes)
        #expect(data.withUnsafeBytes { write(descriptor, $0.baseAddress, bytes) } == bytes)
    }

    static func isClosed(_ path: String, size: Int? = nil) -> (InotifyWatcher.Event) -> Bool {
        { event in
            guard case .closed(let file) = event else { return false }
            return file.path == path && (size == nil || file.size == size)
        }
    }

    @Test("write then close reports the file as changed, then closed with its final size")
    func writeThenClose() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory("AWSLogs")
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        try Self.writeAndClose(spool.absolute("AWSLogs/" + Self.log), bytes: 321)

        let closed = await events.first(where: Self.isClosed("AWSLogs/" + Self.log, size: 321))
        guard case .closed(let file)? = closed else {
            Issue.record("no closed event; got \(events.events)")
            return
        }
        #expect(file.isRegular)
        var status = stat()
        #expect(lstat(spool.absolute(file.path), &status) == 0)
        #expect(file.modified == Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
        let created = events.events.first {
            if case .changed(let file) = $0 { return file.path == "AWSLogs/" + Self.log }
            return false
        }
        #expect(created != nil, "IN_CREATE should be reported as changed")
        #expect(closed?.watcherEvent == .closed(file))
    }

    @Test("copy to a temporary name then rename reports the final name as closed")
    func copyThenRename() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory("in")
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        let temporary = "in/" + Self.log + ".1a2B3c4D"
        try Self.writeAndClose(spool.absolute(temporary), bytes: 64)
        #expect(rename(spool.absolute(temporary), spool.absolute("in/" + Self.log)) == 0)

        #expect(await events.first(where: Self.isClosed("in/" + Self.log, size: 64)) != nil, "\(events.events)")
        #expect(await events.first(where: { $0 == .removed(path: temporary) }) != nil, "\(events.events)")
        // The temporary name was written and closed too, but the filter does not take it, so it
        // was never reported as a file to process.
        let temporaryReported = events.events.contains {
            switch $0 {
            case .closed(let file), .changed(let file): file.path == temporary
            default: false
            }
        }
        #expect(!temporaryReported, "\(events.events)")
    }

    @Test("a new day's directory is watched and announced, and files in it are seen")
    func newDirectory() async throws {
        let spool = try SpoolTestDirectory()
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        try spool.makeDirectory("2026/11/23")
        for directory in ["2026", "2026/11", "2026/11/23"] {
            #expect(
                await events.first(where: { $0 == .directoryAdded(path: directory) }) != nil,
                "\(directory): \(events.events)")
        }
        #expect(events.events.first?.watcherEvent == .directoryAdded(path: "2026"))
        try Self.writeAndClose(spool.absolute("2026/11/23/" + Self.log), bytes: 10)
        #expect(await events.first(where: Self.isClosed("2026/11/23/" + Self.log)) != nil, "\(events.events)")
    }

    @Test("a file written into a brand-new directory is seen by an event or by the scan its announcement triggers")
    func newDirectoryRace() async throws {
        let spool = try SpoolTestDirectory()
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        // No pause between creating the directories and the file: the file may land before the
        // watch on its directory exists.
        try spool.makeDirectory("2026/11/24")
        try Self.writeAndClose(spool.absolute("2026/11/24/" + Self.log), bytes: 10)
        let announced = await events.first(where: { $0 == .directoryAdded(path: "2026/11/24") })
        #expect(announced != nil, "\(events.events)")
        // The announcement comes after the watch exists, so a scan started now lists the file, or
        // the watch reported it.
        let scan = try SpoolScanner.scan(root: spool.path, filter: SpoolFilter())
        let seenByEvent = events.events.contains(where: Self.isClosed("2026/11/24/" + Self.log))
        #expect(seenByEvent || scan.files.map(\.path) == ["2026/11/24/" + Self.log])
    }

    @Test("a directory tree moved in is watched throughout; one deleted is reported")
    func movedTree() async throws {
        let spool = try SpoolTestDirectory()
        let outside = try SpoolTestDirectory()
        try outside.makeDirectory("tree/x/y")
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        #expect(rename(outside.absolute("tree"), spool.absolute("tree")) == 0)
        #expect(await events.first(where: { $0 == .directoryAdded(path: "tree/x/y") }) != nil, "\(events.events)")
        try Self.writeAndClose(spool.absolute("tree/x/y/" + Self.log), bytes: 3)
        #expect(await events.first(where: Self.isClosed("tree/x/y/" + Self.log)) != nil, "\(events.events)")
        try FileManager.default.removeItem(atPath: spool.absolute("tree"))
        #expect(await events.first(where: { $0 == .directoryRemoved(path: "tree") }) != nil, "\(events.events)")
        #expect(await events.first(where: { $0 == .removed(path: "tree/x/y/" + Self.log) }) != nil)
    }

    @Test("symbolic links to directories are not followed, at start or when created")
    func symlinkedDirectoryNotWatched() async throws {
        let spool = try SpoolTestDirectory()
        let outside = try SpoolTestDirectory()
        try outside.makeDirectory("before")
        try outside.makeDirectory("after")
        try FileManager.default.createSymbolicLink(
            atPath: spool.absolute(Self.log("linkedbefore")), withDestinationPath: outside.absolute("before"))
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        try FileManager.default.createSymbolicLink(
            atPath: spool.absolute(Self.log("linkedafter")), withDestinationPath: outside.absolute("after"))
        // The link itself is an entry in the root: reported as a (non-regular) file.
        let link = await events.first {
            if case .changed(let file) = $0 {
                return file.path == Self.log("linkedafter") && file.type == .symbolicLink
            }
            return false
        }
        #expect(link != nil, "\(events.events)")
        try Self.writeAndClose(outside.absolute("before/" + Self.log), bytes: 1)
        try Self.writeAndClose(outside.absolute("after/" + Self.log), bytes: 1)
        // A marker written after the outside files: once it is seen, anything from them would be too.
        try Self.writeAndClose(spool.absolute(Self.log("marker")), bytes: 1)
        #expect(await events.first(where: Self.isClosed(Self.log("marker"))) != nil)
        #expect(!events.events.contains { "\($0)".contains(Self.log) }, "\(events.events)")
        #expect(!events.events.contains { $0 == .directoryAdded(path: Self.log("linkedafter")) })
    }

    @Test("stop returns promptly, finishes the stream, and can be called again")
    func stopIsPrompt() async throws {
        let spool = try SpoolTestDirectory()
        let watcher = try InotifyWatcher(root: spool.path)
        let events = InotifyEventCollector(watcher.events)
        let clock = ContinuousClock()
        let elapsed = clock.measure { watcher.stop() }
        #expect(elapsed < .seconds(1))
        #expect(await events.streamFinished())
        watcher.stop()
        // Nothing is reported after stop.
        try Self.writeAndClose(spool.absolute(Self.log), bytes: 1)
        try await Task.sleep(for: .milliseconds(100))
        #expect(events.events.isEmpty)
    }

    @Test("dropping the last reference stops the watcher and finishes the stream")
    func deinitStops() async throws {
        let spool = try SpoolTestDirectory()
        var watcher: InotifyWatcher? = try InotifyWatcher(root: spool.path)
        let events = InotifyEventCollector(try #require(watcher).events)
        watcher = nil
        #expect(watcher == nil)
        #expect(await events.streamFinished())
    }

    @Test("a consumer that falls behind gets an overflow in place of the dropped events")
    func bufferOverflow() async throws {
        let spool = try SpoolTestDirectory()
        let watcher = try InotifyWatcher(root: spool.path, bufferLimit: 2)
        defer { watcher.stop() }
        for index in 0..<20 { try Self.writeAndClose(spool.absolute(Self.log("f\(index)")), bytes: 1) }
        // Let the thread fill the buffer before anyone reads.
        try await Task.sleep(for: .milliseconds(200))
        let events = InotifyEventCollector(watcher.events)
        #expect(await events.first(where: { $0 == .overflow }) != nil, "\(events.events)")
        #expect(InotifyWatcher.Event.overflow.watcherEvent == .overflow)
        #expect(events.events.count < 40)
    }

    @Test("a root that cannot be watched throws")
    func missingRoot() throws {
        let spool = try SpoolTestDirectory()
        #expect {
            try InotifyWatcher(root: spool.absolute("missing"))
        } throws: { error in
            (error as? SpoolError)?.kind == .unreadableRoot
                && (error as? SpoolError)?.cause == "No such file or directory"
        }
    }

    @Test("hidden directories are not watched")
    func hiddenNotWatched() async throws {
        let spool = try SpoolTestDirectory()
        try spool.makeDirectory(".staging")
        let watcher = try InotifyWatcher(root: spool.path)
        defer { watcher.stop() }
        let events = InotifyEventCollector(watcher.events)
        try Self.writeAndClose(spool.absolute(".staging/" + Self.log), bytes: 1)
        try Self.writeAndClose(spool.absolute(Self.log("marker")), bytes: 1)
        #expect(await events.first(where: Self.isClosed(Self.log("marker"))) != nil)
        #expect(!events.events.contains { "\($0)".contains(".staging") }, "\(events.events)")
    }
}
