import Foundation
import Testing
import TrailTestKit

@testable import TrailReader

/// Safe opening: only regular files are read; everything else is refused with a reason.
final class InputFileTests: Sendable {
    /// This test's own directory: each test runs on a new instance, and `deinit` removes it.
    let temporary = TemporaryDirectory("trailhound-input")

    deinit { temporary.remove() }

    @Test("symbolic links, FIFOs and directories are refused; missing files are unreadable")
    func refused() throws {
        let directory = try temporary.create()
        let file = directory + "/real.json"
        try Data(#"{"Records":[]}"#.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.json", withDestinationPath: file)
        #expect(mkfifo(directory + "/fifo.json", 0o600) == 0)

        let cases: [(String, ReaderError.Kind, String)] = [
            ("link.json", .notRegularFile, "it is a symbolic link, which trailhound does not follow"),
            ("fifo.json", .notRegularFile, "it is a FIFO"),
            ("", .notRegularFile, "it is a directory"),
            ("missing.json", .unreadable, "No such file or directory"),
        ]
        for (name, kind, cause) in cases {
            let path = directory + "/" + name
            do {
                _ = try InputFile.open(path)
                Issue.record("opened \(path)")
            } catch {
                #expect(error.kind == kind, "\(name)")
                #expect(error.cause == cause, "\(name)")
                #expect(error.path == path)
            }
        }
        var records = 0
        let summary = try TrailFileReader.read(path: file) { _ in records += 1 }
        #expect(records == 0 && summary.kind == .records)
    }

    @Test("a file over the size cap is refused from fstat, naming a sparse file as such")
    func sizeCap() throws {
        let directory = try temporary.create()
        let path = directory + "/sparse.json.gz"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(ftruncate(descriptor, 100 << 30) == 0)
        close(descriptor)
        let limits = ReaderLimits()
        #expect(limits.maxFileBytes == 1 << 30)
        let cause =
            "it is \(100 << 30) bytes, of which only 0 are allocated (a sparse file), over the limit of \(1 << 30);"
            + " real CloudTrail files are a few megabytes"
        #expect(throws: ReaderError(.fileTooLarge, path: path, cause: cause)) {
            try InputFile.open(path, limits: limits)
        }
        let parent = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(parent) }
        #expect(throws: ReaderError(.fileTooLarge, path: "shown", cause: cause)) {
            try InputFile.open(name: "sparse.json.gz", in: parent, path: "shown", limits: limits)
        }
        // The reader refuses it the same way, before reading.
        #expect(throws: ReaderError(.fileTooLarge, path: path, cause: cause)) {
            try TrailFileReader.read(path: path) { _ in }
        }
        #expect(
            ReaderError(.fileTooLarge, path: path, cause: cause).description
                == "\(path): refused, file larger than the size limit: \(cause)")
    }

    @Test("a file that grows past the cap while it is read is refused then")
    func growsPastTheCap() throws {
        let directory = try temporary.create()
        let path = directory + "/growing.json"
        try Data(repeating: 0x20, count: 5000).write(to: URL(fileURLWithPath: path))
        let limits = ReaderLimits(maxFileBytes: 8192, chunkBytes: 4096)
        let hashed = try InputFile.open(path, limits: limits)
        let read = try InputFile.open(path, limits: limits)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x20, count: 20_000))
        try handle.close()
        let cause = "it grew past the limit of 8192 bytes while being read (it was 5000 when opened)"
        #expect(throws: ReaderError(.fileTooLarge, path: path, cause: cause)) { try hashed.forEachChunk { _ in } }
        #expect(throws: ReaderError(.fileTooLarge, path: path, cause: cause)) {
            try TrailFileReader.read(read, limits: limits) { _ in }
        }
    }

    @Test("FIFOs and devices are refused without being opened")
    func specialFilesAreNotOpened() throws {
        let directory = try temporary.create()
        var entries = [(directory + "/fifo.json.gz", "it is a FIFO")]
        #expect(mkfifo(entries[0].0, 0o600) == 0)
        // As root (the CI), a character device with /dev/zero's numbers; elsewhere mknod is refused.
        if mknod(directory + "/device.json.gz", S_IFCHR | 0o600, dev_t(1 << 8 | 5)) == 0 {
            entries.append((directory + "/device.json.gz", "it is a character device"))
        }
        // inotify reports IN_OPEN on the entry itself whoever opens it, so a silent watch proves it
        // was never opened (opening a device can have effects of its own).
        let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        defer { close(inotify) }
        for (path, cause) in entries {
            #expect(inotify_add_watch(inotify, path, UInt32(IN_OPEN)) >= 0)
            #expect(throws: ReaderError(.notRegularFile, path: path, cause: cause)) { try InputFile.open(path) }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        #expect(read(inotify, &buffer, buffer.count) < 0 && errno == EAGAIN, "an entry was opened")
        // The watch works: an open is reported.
        let opened = open(entries[0].0, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        close(opened)
        #expect(read(inotify, &buffer, buffer.count) > 0)
    }

    @Test("names with a slash, `.` or `..` are refused by open(name:in:)")
    func badNames() throws {
        let directory = try temporary.create()
        let parent = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(parent) }
        for name in ["a/b", ".", "..", ""] {
            #expect(throws: ReaderError.self) { try InputFile.open(name: name, in: parent, path: name) }
        }
    }
}
