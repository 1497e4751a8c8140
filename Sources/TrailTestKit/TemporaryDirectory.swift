import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A directory of a test's own under the system's temporary directory, made on first use: the
/// one helper tests use instead of building paths by hand. A test that removes it does so itself
/// (`defer { directory.remove() }`); one that does not leaves its files to be looked at, and the
/// system cleans its temporary directory.
package struct TemporaryDirectory: Sendable {
    /// The directory's path (not yet created: `create()`, `write` and `path(_:)` create it).
    package let path: String

    /// A new directory whose name starts with `prefix` (to tell tests' directories apart), in
    /// `parent`: the system's temporary directory, or one with a short path where the length
    /// counts (a Unix socket's path must fit in 108 bytes: `/tmp`).
    package init(_ prefix: String = "trailhound", in parent: String = NSTemporaryDirectory()) {
        let parent = parent.hasSuffix("/") ? parent : parent + "/"
        path = parent + "\(prefix)-\(UUID().uuidString)"
    }

    /// Creates the directory (and `subdirectory` in it); returns its path.
    @discardableResult
    package func create(_ subdirectory: String = "") throws -> String {
        let target = subdirectory.isEmpty ? path : path + "/" + subdirectory
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    /// The path of `name` in the directory, which is created (with `name`'s parent directories).
    package func path(_ name: String) throws -> String {
        try create(name.lastIndex(of: "/").map { String(name[..<$0]) } ?? "")
        return path + "/" + name
    }

    /// Writes `bytes` to `name` in the directory; returns the file's path.
    @discardableResult
    package func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = try path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` to `name` in the directory; returns the file's path.
    @discardableResult
    package func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    /// Removes the directory and everything in it, first giving its owner back the permissions a
    /// test took away (a directory locked down to mode 000 could be neither listed nor emptied).
    /// Links are not followed: what they point to keeps its mode.
    package func remove() {
        func unlock(_ entry: String) {
            var status = stat()
            if lstat(entry, &status) == 0, status.st_mode & S_IFMT != S_IFLNK { chmod(entry, 0o700) }
        }
        unlock(path)
        if let entries = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in entries { unlock(path + "/" + relative) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
