import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary spool directory for one test, removed when the value goes away.
final class SpoolTestDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "trailhound-spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // Make anything a test locked down readable again so it can be removed.
        if let paths = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in paths { chmod(path + "/" + relative, 0o700) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    func absolute(_ relative: String) -> String { path + "/" + relative }

    /// Creates a directory (and its parents) below the root.
    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: absolute(relative), withIntermediateDirectories: true)
    }

    /// Writes `bytes` to a file below the root with one open/write/close, creating parents.
    @discardableResult
    func write(_ relative: String, bytes: Int = 10) throws -> String {
        let full = absolute(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: bytes).write(to: URL(fileURLWithPath: full))
        return full
    }
}
