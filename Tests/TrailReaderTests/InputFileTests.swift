import Foundation
import Testing

@testable import TrailReader

/// Safe opening: only regular files are read; everything else is refused with a reason.
struct InputFileTests {
    /// A fresh temporary directory for one test.
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "trailhound-input-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("symbolic links, FIFOs and directories are refused; missing files are unreadable")
    func refused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
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
}
